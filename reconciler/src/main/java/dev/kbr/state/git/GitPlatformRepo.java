package dev.kbr.state.git;

import dev.kbr.model.GitStateStore;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;

/**
 * A platform repo read from a Git remote at one commit, without a work tree: the commit is fetched
 * into a private bare repository (a temporary one, or one kept in a cache directory between runs)
 * and its files are read from the commit's tree in memory.
 *
 * <p>{@code ref} may name a branch or tag (as {@code git rev-parse} looks it up: {@code refs/…} as
 * given, then {@code refs/tags/}, then {@code refs/heads/}) or a commit by its full or abbreviated
 * id; without one, the remote's {@code HEAD} is read. A branch or tag is fetched with depth 1 (the
 * commit and its tree only); a commit that no branch or tag points at is looked for in the history
 * of every branch and tag. Credentials, SSH host keys and HTTPS trust work as for Git state stores
 * ({@link GitTransportSetup}).
 *
 * <p>Every failure is an {@link IOException} with a one-line message naming the option to fix
 * ({@code --platform}, {@code --platform-ref} or {@code --platform-secret}); a password in the URL
 * is never printed.
 */
public final class GitPlatformRepo implements AutoCloseable {
    /** Where the fetched commit is kept in the private repository. */
    static final String LOCAL_REF = "refs/kbr/platform";

    private static final String ALL_REFS = "refs/kbr/all/";
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{4,40}");
    private static final int REFS_LISTED = 10;

    /** Told to a person whose server asks for credentials that were not given. */
    static final String CREDENTIALS_HINT = "pass --platform-secret NAMESPACE/NAME naming a Secret with keys"
            + " `username` and `password` (https) or `sshPrivateKey` and `knownHosts` (ssh), given with"
            + " --secrets-dir or KBR_SECRET_<NAMESPACE>_<NAME>_<KEY>";

    /**
     * How to reach the platform repo.
     *
     * @param url the remote: {@code https://}, {@code http://}, {@code ssh://}, {@code git://},
     *     {@code file://} or scp-like {@code user@host:path}
     * @param ref the branch, tag or commit to read; empty for the remote's {@code HEAD}
     * @param credentials how to authenticate, if at all
     * @param trustedCaFile PEM CAs trusted for https besides the JDK's
     * @param cacheDirectory a directory to keep the private repository in between runs (then a
     *     repeated read fetches only what is new); empty for a temporary one deleted on close
     * @param timeout how long one network read may stall (whole seconds, at least one)
     */
    public record Settings(
            String url,
            Optional<String> ref,
            Optional<GitCredentials> credentials,
            Optional<Path> trustedCaFile,
            Optional<Path> cacheDirectory,
            Duration timeout) {
        public Settings {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(credentials, "credentials");
            Objects.requireNonNull(trustedCaFile, "trustedCaFile");
            Objects.requireNonNull(cacheDirectory, "cacheDirectory");
            if (timeout == null || timeout.toSeconds() < 1 || timeout.toSeconds() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "timeout must be between 1 second and " + Integer.MAX_VALUE + " seconds, was " + timeout);
            }
        }

        /** Settings with no ref, credentials, CA or cache, and the state stores' default timeout. */
        public static Settings of(String url) {
            return new Settings(
                    url,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    GitStoreSettings.DEFAULT_TIMEOUT);
        }

        /** The same settings reading {@code newRef}. */
        public Settings withRef(String newRef) {
            return new Settings(url, Optional.of(newRef), credentials, trustedCaFile, cacheDirectory, timeout);
        }

        /** The same settings with credentials. */
        public Settings withCredentials(GitCredentials newCredentials) {
            return new Settings(url, ref, Optional.of(newCredentials), trustedCaFile, cacheDirectory, timeout);
        }

        /** The same settings trusting {@code caFile} for https. */
        public Settings withTrustedCaFile(Path caFile) {
            return new Settings(url, ref, credentials, Optional.of(caFile), cacheDirectory, timeout);
        }

        /** The same settings keeping the private repository in {@code directory}. */
        public Settings withCacheDirectory(Path directory) {
            return new Settings(url, ref, credentials, trustedCaFile, Optional.of(directory), timeout);
        }

        /** Never prints a password in the URL, nor credentials. */
        @Override
        public String toString() {
            return "GitPlatformRepo.Settings[url=" + GitStateStore.displayUrl(url) + ", ref=" + ref + ", credentials="
                    + credentials.map(GitCredentials::source).orElse("(none)") + ", trustedCaFile=" + trustedCaFile
                    + ", cacheDirectory=" + cacheDirectory + ", timeout=" + timeout + "]";
        }
    }

    private final Settings settings;
    private final ScratchRepository local;
    private final Path scratch;
    private final boolean ownsScratch;
    private final ObjectId commit;
    private final String ref;
    private final SortedMap<String, ObjectId> files;
    private final ObjectReader reader;

    private GitPlatformRepo(
            Settings settings,
            ScratchRepository local,
            Path scratch,
            boolean ownsScratch,
            ObjectId commit,
            String ref,
            SortedMap<String, ObjectId> files) {
        this.settings = settings;
        this.local = local;
        this.scratch = scratch;
        this.ownsScratch = ownsScratch;
        this.commit = commit;
        this.ref = ref;
        this.files = Collections.unmodifiableSortedMap(files);
        this.reader = local.repository().newObjectReader();
    }

    /**
     * Fetches the commit {@code settings.ref()} names (or the remote's {@code HEAD}) and lists its
     * tree. Close the result to release (and, when temporary, delete) the private repository.
     *
     * @throws IOException when the URL is malformed or unreachable, the server refuses the
     *     credentials, or the ref names no branch, tag or commit; nothing is left behind
     */
    public static GitPlatformRepo fetch(Settings settings) throws IOException {
        Objects.requireNonNull(settings, "settings");
        URIish remote;
        try {
            remote = new URIish(settings.url());
        } catch (URISyntaxException e) {
            throw new IOException(
                    "--platform " + GitStateStore.displayUrl(settings.url()) + " is not a Git URL (" + e.getReason()
                            + "); give a folder, or an https://, ssh://, git://, file:// or user@host:path URL",
                    e);
        }
        Path scratch = null;
        boolean owns = false;
        Optional<ScratchRepository> local = Optional.empty();
        if (settings.cacheDirectory().isPresent()) {
            scratch = Files.createDirectories(settings.cacheDirectory().get());
            local = ScratchRepository.open(scratch, remote, true);
        }
        if (local.isEmpty()) {
            // No cache, or another run holds it: a temporary repository instead.
            scratch = dev.kbr.run.TempFolders.create("git-platform");
            owns = true;
            try {
                local = ScratchRepository.open(scratch, remote, false);
            } catch (IOException | RuntimeException e) {
                ScratchRepository.deleteRecursively(scratch);
                throw e;
            }
        }
        ScratchRepository repository = local.orElseThrow();
        try (GitTransportSetup setup = GitTransportSetup.create(
                settings.credentials(), settings.trustedCaFile(), CREDENTIALS_HINT, settings.timeout())) {
            Fetched fetched = new Fetcher(settings, remote, repository.repository(), setup).fetch();
            return new GitPlatformRepo(
                    settings,
                    repository,
                    scratch,
                    owns,
                    fetched.commit(),
                    fetched.ref(),
                    ScratchRepository.files(
                            repository.repository(),
                            fetched.commit(),
                            // Regular files only, as PlatformFiles lists a folder (links are not followed).
                            mode -> mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE,
                            id -> id));
        } catch (IOException | RuntimeException e) {
            repository.close();
            if (owns) {
                ScratchRepository.deleteRecursively(scratch);
            }
            throw e;
        }
    }

    /** The commit read (40 lowercase hex digits). */
    public String commit() {
        return commit.name();
    }

    /**
     * The ref as the person gave it, or for the remote's {@code HEAD} the branch it points at
     * ({@code HEAD} when the server does not say).
     */
    public String ref() {
        return ref;
    }

    /** The URL with any password replaced by {@code ***}. */
    public String displayUrl() {
        return GitStateStore.displayUrl(settings.url());
    }

    /**
     * The commit's regular files (executable or not), as {@code /}-separated paths; symbolic
     * links and submodules are left out, as a folder walk leaves them out.
     */
    public Collection<String> files() {
        return files.keySet();
    }

    /**
     * Reads one file of the commit.
     *
     * @throws IOException when it is not one of {@link #files()}, is larger than 100 MB, or cannot
     *     be read
     */
    public synchronized byte[] read(String path) throws IOException {
        ObjectId id = files.get(path);
        if (id == null) {
            throw new IOException("no file " + path + " in the platform repo " + displayUrl() + " at " + commit());
        }
        try {
            ObjectLoader loader = reader.open(id, Constants.OBJ_BLOB);
            if (loader.getSize() > GitRepoStateStore.MAX_BLOB_BYTES) {
                throw new IOException("platform file " + path + " has " + loader.getSize()
                        + " bytes, more than the limit of " + GitRepoStateStore.MAX_BLOB_BYTES);
            }
            return loader.getBytes(GitRepoStateStore.MAX_BLOB_BYTES);
        } catch (IOException | RuntimeException e) {
            throw new IOException(
                    "Tried to read " + path + " of the platform repo " + displayUrl() + " at " + commit() + " but "
                            + reason(e),
                    e);
        }
    }

    /** Releases the private repository; deletes it when it was temporary. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        reader.close();
        local.close();
        if (ownsScratch) {
            ScratchRepository.deleteRecursively(scratch);
        }
    }

    private record Fetched(ObjectId commit, String ref) {}

    /** One fetch: lists the remote's refs, picks what {@code ref} names, fetches it. */
    private static final class Fetcher {
        private final Settings settings;
        private final URIish remote;
        private final Repository repo;
        private final GitTransportSetup setup;

        Fetcher(Settings settings, URIish remote, Repository repo, GitTransportSetup setup) {
            this.settings = settings;
            this.remote = remote;
            this.repo = repo;
            this.setup = setup;
        }

        Fetched fetch() throws IOException {
            try {
                Map<String, Ref> advertised = advertised();
                Optional<String> wanted = settings.ref();
                if (wanted.isEmpty()) {
                    Ref head = advertised.get(Constants.HEAD);
                    if (head == null || head.getObjectId() == null) {
                        throw new PlatformRefException("the platform repo " + url()
                                + " has no HEAD (is it empty?); push a branch to it, or pass --platform-ref BRANCH");
                    }
                    String name = head.isSymbolic()
                            ? Repository.shortenRefName(head.getTarget().getName())
                            : Constants.HEAD;
                    return new Fetched(
                            fetchRef(head.isSymbolic() ? head.getTarget().getName() : Constants.HEAD), name);
                }
                String given = wanted.get();
                for (String candidate : List.of(given, Constants.R_TAGS + given, Constants.R_HEADS + given)) {
                    if (candidate.startsWith(Constants.R_REFS) && advertised.containsKey(candidate)) {
                        return new Fetched(fetchRef(candidate), given);
                    }
                }
                String lower = given.toLowerCase(java.util.Locale.ROOT);
                if (HEX.matcher(lower).matches()) {
                    Optional<ObjectId> found = fetchCommit(lower, advertised);
                    if (found.isPresent()) {
                        return new Fetched(found.get(), given);
                    }
                }
                throw new PlatformRefException("--platform-ref `" + given
                        + "` is not a branch, tag or commit of the platform"
                        + " repo " + url() + listing(advertised) + "; pass one of them, or the id of a commit in"
                        + " their history");
            } catch (PlatformRefException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                if (e instanceof RuntimeException && !e.getClass().getName().startsWith("org.eclipse.jgit.")) {
                    throw e;
                }
                throw failure(e);
            }
        }

        private Map<String, Ref> advertised() throws IOException {
            try (Transport transport = open();
                    FetchConnection connection = transport.openFetch()) {
                return new TreeMap<>(connection.getRefsMap());
            }
        }

        /** Fetches one advertised ref with depth 1 and returns the commit it points at. */
        private ObjectId fetchRef(String name) throws IOException {
            try (Transport transport = open()) {
                transport.setDepth(GitRepoStateStore.FETCH_DEPTH);
                transport.fetch(NullProgressMonitor.INSTANCE, List.of(new RefSpec("+" + name + ":" + LOCAL_REF)));
            }
            return peeled(repo.exactRef(LOCAL_REF).getObjectId());
        }

        /**
         * A commit by its (maybe abbreviated) id: fetched through a ref that points at it, else
         * found in the whole history of every branch and tag.
         */
        private Optional<ObjectId> fetchCommit(String hex, Map<String, Ref> advertised) throws IOException {
            for (Ref ref : advertised.values()) {
                ObjectId id = ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId();
                if (id != null && id.name().equals(hex) && ref.getName().startsWith(Constants.R_REFS)) {
                    fetchRef(ref.getName());
                    return Optional.of(id);
                }
            }
            try (Transport transport = open()) {
                // Deepens a repository an earlier depth-1 fetch left shallow, as --unshallow does.
                transport.setDepth(Integer.MAX_VALUE);
                transport.fetch(
                        NullProgressMonitor.INSTANCE,
                        List.of(
                                new RefSpec("+" + Constants.R_HEADS + "*:" + ALL_REFS + "heads/*"),
                                new RefSpec("+" + Constants.R_TAGS + "*:" + ALL_REFS + "tags/*")));
            }
            try (ObjectReader objects = repo.newObjectReader();
                    RevWalk walk = new RevWalk(objects)) {
                List<RevCommit> commits = new ArrayList<>();
                for (ObjectId candidate : objects.resolve(AbbreviatedObjectId.fromString(hex))) {
                    try {
                        commits.add(walk.parseCommit(candidate));
                    } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException notACommit) {
                        // A blob or tree with the same prefix is not what --platform-ref means.
                    }
                }
                if (commits.size() > 1) {
                    throw new PlatformRefException("--platform-ref `" + hex + "` is ambiguous in the platform repo "
                            + url() + ": " + commits.size() + " commits start with it; give more digits");
                }
                if (commits.isEmpty()) {
                    return Optional.empty();
                }
                org.eclipse.jgit.lib.RefUpdate update = repo.updateRef(LOCAL_REF);
                update.setNewObjectId(commits.get(0));
                update.setForceUpdate(true);
                update.update();
                return Optional.of(commits.get(0).copy());
            }
        }

        private ObjectId peeled(ObjectId id) throws IOException {
            try (RevWalk walk = new RevWalk(repo)) {
                return walk.parseCommit(id).copy();
            } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
                throw new PlatformRefException("--platform-ref `"
                        + settings.ref().orElse(Constants.HEAD)
                        + "` of the platform repo " + url() + " does not point at a commit; name a branch, a tag"
                        + " of a commit, or a commit");
            }
        }

        private Transport open() throws IOException {
            Transport transport = Transport.open(repo, remote);
            transport.setTimeout((int) settings.timeout().toSeconds());
            transport.setTagOpt(TagOpt.NO_TAGS);
            setup.configure(transport);
            return transport;
        }

        private IOException failure(Exception cause) {
            Optional<String> advice = setup.advice(cause);
            String why = reason(cause).replaceAll("\\s*\\R\\s*", " ");
            if (remote.getPass() != null && !remote.getPass().isEmpty()) {
                // JGit's own messages drop the password from URLs, but never trust that.
                why = why.replace(remote.getPass(), "***");
            }
            return new IOException(
                    "Tried to read the platform repo " + url() + " (--platform) but " + why
                            + advice.map(a -> ": " + a)
                                    .orElse("; check the URL in --platform and that this machine can reach it"),
                    cause);
        }

        private String url() {
            return GitStateStore.displayUrl(settings.url());
        }

        private static String listing(Map<String, Ref> advertised) {
            List<String> branches = new ArrayList<>();
            List<String> tags = new ArrayList<>();
            for (String name : advertised.keySet()) {
                if (name.startsWith(Constants.R_HEADS)) {
                    branches.add(name.substring(Constants.R_HEADS.length()));
                } else if (name.startsWith(Constants.R_TAGS) && !name.endsWith("^{}")) {
                    tags.add(name.substring(Constants.R_TAGS.length()));
                }
            }
            return "; its branches: " + names(branches) + "; its tags: " + names(tags);
        }

        private static String names(List<String> names) {
            if (names.isEmpty()) {
                return "(none)";
            }
            String shown = String.join(", ", names.subList(0, Math.min(REFS_LISTED, names.size())));
            return names.size() > REFS_LISTED ? shown + " and " + (names.size() - REFS_LISTED) + " more" : shown;
        }
    }

    /** A ref problem found after fetching; its message is already the whole error. */
    private static final class PlatformRefException extends IOException {
        private static final long serialVersionUID = 1L;

        PlatformRefException(String message) {
            super(message);
        }
    }

    private static String reason(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
