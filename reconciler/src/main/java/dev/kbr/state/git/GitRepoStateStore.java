package dev.kbr.state.git;

import dev.kbr.state.ChangeSet;
import dev.kbr.state.CommitResult;
import dev.kbr.state.FileChange;
import dev.kbr.state.StaleStateException;
import dev.kbr.state.StateSnapshot;
import dev.kbr.state.StateStore;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectDatabase;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A Git state store: one branch of one remote repository, read and written through a private
 * bare repository in a scratch directory. No work tree is ever checked out.
 *
 * <p>{@link #read()} fetches only {@code refs/heads/<branch>} (full history, no tags) and lists
 * every blob of its tree. {@link #commit} builds the next tree in memory from the base commit's
 * tree plus the change set, writes all new objects as one pack, makes one commit (author and
 * committer from the settings, time from the clock, parent the base head) and pushes it with the
 * base head as the expected old id: the branch moves only if nobody else moved it since it was
 * read, and nothing is ever force-pushed.
 *
 * <p>Mirrors Kratix's git writer ({@code lib/writers/git.go}) in what lands in the repo (paths,
 * bytes, mode 100644, author {@code kratix <>} by default, a plain fast-forward push that fails
 * when the branch moved) but not in granularity: Kratix makes one commit per WorkPlacement, kbr
 * one per pass, so Flux sees the whole pass at once or not at all.
 *
 * <p>Every failure is an {@link IOException} whose message says what was attempted, on which
 * store, URL and branch, and why; the JGit exception is kept as the cause, never thrown. A push
 * refused because the branch moved is a {@link StaleStateException}. Methods are synchronized;
 * one instance serves one store for one run.
 */
public final class GitRepoStateStore implements StateStore {
    /** Blobs larger than this are not read into memory (GitHub refuses files above 100 MB too). */
    static final int MAX_BLOB_BYTES = 100 * 1024 * 1024;

    private static final int MAX_PROBLEMS_LISTED = 20;
    private static final String REPOSITORY_DIRECTORY = "store.git";
    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-f]{40}");

    private final GitStoreSettings settings;
    private final Clock clock;
    private final URIish remote;
    private final Path scratch;
    private final boolean ownsScratch;
    private final Repository repo;
    private final String branchRef;
    private final String trackingRef;
    private volatile boolean closed;

    private GitRepoStateStore(
            GitStoreSettings settings, Clock clock, URIish remote, Path scratch, boolean ownsScratch, Repository repo) {
        this.settings = settings;
        this.clock = clock;
        this.remote = remote;
        this.scratch = scratch;
        this.ownsScratch = ownsScratch;
        this.repo = repo;
        this.branchRef = Constants.R_HEADS + settings.branch();
        this.trackingRef = Constants.R_REMOTES + "origin/" + settings.branch();
    }

    /**
     * Prepares a store: parses the URL and creates (or reopens) the private bare repository in the
     * scratch directory. Does not contact the remote.
     *
     * @throws IOException when the URL is not a Git URL or the scratch directory cannot be
     *     prepared; the message names the store
     */
    public static GitRepoStateStore open(GitStoreSettings settings) throws IOException {
        return open(settings, Clock.systemUTC());
    }

    /** {@link #open(GitStoreSettings)} with a given clock for commit times (tests). */
    static GitRepoStateStore open(GitStoreSettings settings, Clock clock) throws IOException {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        URIish remote = remoteUri(settings);
        Path scratch;
        boolean owns = settings.scratchDirectory().isEmpty();
        try {
            scratch = owns
                    ? Files.createTempDirectory("kbr-git-store-")
                    : Files.createDirectories(settings.scratchDirectory().get());
        } catch (IOException e) {
            throw new IOException(
                    prefix(settings, "open") + " but its scratch directory could not be created: " + reason(e), e);
        }
        Repository repo = null;
        try {
            repo = new FileRepositoryBuilder()
                    .setGitDir(scratch.resolve(REPOSITORY_DIRECTORY).toFile())
                    .setBare()
                    .build();
            if (!repo.getObjectDatabase().exists()) {
                repo.create(true);
            }
            // JGit runs an automatic gc after fetches, detached in the background: it would
            // rewrite packs while we read them and race with deleting the scratch directory. A
            // short-lived private repository gains nothing from it.
            StoredConfig config = repo.getConfig();
            config.setBoolean(ConfigConstants.CONFIG_FETCH_SECTION, null, ConfigConstants.CONFIG_KEY_AUTOGC, false);
            config.setInt(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTO, 0);
            config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH, false);
            config.save();
            return new GitRepoStateStore(settings, clock, remote, scratch, owns, repo);
        } catch (IOException | RuntimeException e) {
            IOException failure = new IOException(
                    prefix(settings, "open") + " but its local repository in " + scratch + " could not be prepared: "
                            + reason(e),
                    e);
            if (repo != null) {
                repo.close();
            }
            if (owns) {
                try {
                    deleteRecursively(scratch);
                } catch (IOException cleanup) {
                    failure.addSuppressed(cleanup);
                }
            }
            throw failure;
        }
    }

    /**
     * Fetches the branch and lists its tree. Regular files, executables and symlinks are listed
     * with their blob id; submodule entries are not (they have no content here). An empty remote
     * or a missing branch gives a snapshot without head and files. The snapshot's reader reads
     * from the local repository while this store is open.
     *
     * @throws IOException when the remote cannot be reached or read
     * @throws IllegalStateException when the store is closed
     */
    @Override
    public synchronized StateSnapshot read() throws IOException {
        requireOpen();
        try {
            Optional<ObjectId> head = fetchBranch();
            SortedMap<String, String> files = head.isPresent() ? listBlobs(head.get()) : new TreeMap<>();
            return new StateSnapshot(head.map(ObjectId::name), files, this::readBlob);
        } catch (IOException e) {
            throw failure("read", e);
        } catch (RuntimeException e) {
            throw wrapJGit("read", e);
        }
    }

    /** The Git blob id (SHA-1, 40 lowercase hex digits) of {@code content}. */
    @Override
    public String contentId(byte[] content) {
        // A Formatter holds a message digest: one per call keeps this method thread-safe.
        return new ObjectInserter.Formatter().idFor(Constants.OBJ_BLOB, content).name();
    }

    /**
     * Commits {@code changes} on top of {@code base} and pushes the commit if the branch still
     * points at {@code base.head()}. Files are written with mode 100644; a directory whose last
     * file is deleted disappears. An {@code Added} or {@code Modified} change with empty content
     * and a content id other than the empty blob's reuses that blob, which must be in the local
     * repository (that is, in a snapshot this store has read, or written earlier). When the
     * change set is empty, or leaves the tree as it was, nothing is contacted and nothing is
     * pushed.
     *
     * @param base a snapshot this store has read (its head must be in the local repository)
     * @param changes the changes; their {@code contentId}s must be the Git blob ids of their
     *     content
     * @param message the commit message (a final newline is added when missing)
     * @return {@link CommitResult.Committed} with the new commit id and the number of changes, or
     *     {@link CommitResult.Unchanged}
     * @throws StaleStateException when the branch moved since {@code base} was read; nothing was
     *     written
     * @throws IOException when the commit cannot be built or pushed (including a blob to reuse
     *     that is not here), or the branch does not point at the new commit after the push
     * @throws IllegalArgumentException when the change set does not fit {@code base}: malformed
     *     paths or ids, a path changed twice, an added path that exists, a modified or deleted
     *     path that does not exist or has another id, content that does not match its id, or a
     *     path left both a file and a directory; every problem is listed
     * @throws IllegalStateException when the store is closed
     */
    @Override
    public synchronized CommitResult commit(StateSnapshot base, ChangeSet changes, String message) throws IOException {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(message, "message");
        requireOpen();
        if (changes.isEmpty()) {
            return new CommitResult.Unchanged();
        }
        Optional<ObjectId> expected = base.head().map(id -> {
            if (!OBJECT_ID.matcher(id).matches()) {
                throw new IllegalArgumentException(
                        prefix(settings, "commit to") + " but the base head `" + id + "` is not a commit id");
            }
            return ObjectId.fromString(id);
        });
        Optional<ObjectId> created;
        try {
            created = createCommit(expected, changes.changes(), message);
        } catch (IOException e) {
            throw failure("commit to", e);
        } catch (RuntimeException e) {
            throw wrapJGit("commit to", e);
        }
        if (created.isEmpty()) {
            return new CommitResult.Unchanged();
        }
        push(expected, created.get());
        return new CommitResult.Committed(
                created.get().name(), changes.changes().size());
    }

    /**
     * Closes the local repository and deletes the scratch directory when it was created by
     * {@link #open}; idempotent.
     *
     * @throws IOException when the scratch directory cannot be deleted
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        repo.close();
        if (ownsScratch) {
            try {
                deleteRecursively(scratch);
            } catch (IOException e) {
                throw new IOException(
                        prefix(settings, "close") + " but its scratch directory " + scratch + " could not be deleted: "
                                + reason(e),
                        e);
            }
        }
    }

    /** Where the private repository lives (tests). */
    Path scratchDirectory() {
        return scratch;
    }

    private Optional<ObjectId> fetchBranch() throws IOException {
        try (Transport transport = openTransport()) {
            Optional<ObjectId> advertised = remoteHead(transport);
            if (advertised.isEmpty()) {
                return advertised;
            }
            ObjectId head = advertised.get();
            if (repo.getObjectDatabase().has(head)) {
                // Already here (read before, or written by this store): no second connection.
                setTrackingRef(head);
                return advertised;
            }
            FetchResult result = transport.fetch(
                    NullProgressMonitor.INSTANCE, List.of(new RefSpec("+" + branchRef + ":" + trackingRef)));
            Ref fetched = result.getAdvertisedRef(branchRef);
            if (fetched == null || fetched.getObjectId() == null) {
                return Optional.empty();
            }
            return Optional.of(fetched.getObjectId());
        }
    }

    private Optional<ObjectId> remoteHead(Transport transport) throws IOException {
        try (FetchConnection connection = transport.openFetch(List.of(new RefSpec(branchRef)))) {
            Ref ref = connection.getRef(branchRef);
            return ref == null ? Optional.empty() : Optional.ofNullable(ref.getObjectId());
        }
    }

    // The tracking ref is only a hint for fetch negotiation (our "haves"), so the next read
    // downloads only what is new.
    private void setTrackingRef(ObjectId head) throws IOException {
        RefUpdate update = repo.updateRef(trackingRef);
        update.setNewObjectId(head);
        update.setForceUpdate(true);
        RefUpdate.Result result = update.update();
        switch (result) {
            case NEW, FORCED, FAST_FORWARD, NO_CHANGE -> {}
            default -> throw new IOException("the local ref " + trackingRef + " could not be updated (" + result + ")");
        }
    }

    private SortedMap<String, String> listBlobs(ObjectId head) throws IOException {
        SortedMap<String, String> files = new TreeMap<>();
        try (ObjectReader reader = repo.newObjectReader();
                RevWalk walk = new RevWalk(reader);
                TreeWalk tree = new TreeWalk(reader)) {
            tree.addTree(walk.parseCommit(head).getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                if (tree.getFileMode(0).getObjectType() == Constants.OBJ_BLOB) {
                    files.put(tree.getPathString(), tree.getObjectId(0).name());
                }
            }
        }
        return files;
    }

    private byte[] readBlob(String contentId) throws IOException {
        String attempted = "read blob " + contentId + " of";
        if (closed) {
            throw new IOException(prefix(settings, attempted) + " but the store is closed");
        }
        if (!OBJECT_ID.matcher(contentId).matches()) {
            throw new IOException(prefix(settings, attempted) + " but that is not a blob id");
        }
        try (ObjectReader reader = repo.newObjectReader()) {
            ObjectLoader loader = reader.open(ObjectId.fromString(contentId), Constants.OBJ_BLOB);
            if (loader.getSize() > MAX_BLOB_BYTES) {
                throw new IOException(
                        "it has " + loader.getSize() + " bytes, more than the limit of " + MAX_BLOB_BYTES);
            }
            return loader.getBytes(MAX_BLOB_BYTES);
        } catch (IOException e) {
            throw failure(attempted, e);
        } catch (RuntimeException e) {
            throw wrapJGit(attempted, e);
        }
    }

    private Optional<ObjectId> createCommit(Optional<ObjectId> baseHead, List<FileChange> changes, String message)
            throws IOException {
        try (ObjectInserter inserter = newInserter();
                ObjectReader reader = inserter.newReader()) {
            DirCache index = DirCache.newInCore();
            ObjectId baseTree = Constants.EMPTY_TREE_ID;
            if (baseHead.isPresent()) {
                if (!reader.has(baseHead.get())) {
                    throw new IOException("its base commit " + baseHead.get().name()
                            + " is not in the local repository (commit on a snapshot this store has read)");
                }
                try (RevWalk walk = new RevWalk(reader)) {
                    baseTree = walk.parseCommit(baseHead.get()).getTree().copy();
                }
                DirCacheBuilder builder = index.builder();
                builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, baseTree);
                builder.finish();
            }
            Map<String, String> baseEntries = new HashMap<>(index.getEntryCount() * 2);
            for (int i = 0; i < index.getEntryCount(); i++) {
                DirCacheEntry entry = index.getEntry(i);
                baseEntries.put(entry.getPathString(), entry.getObjectId().name());
            }
            List<String> misfits = ChangeSetCheck.problems(baseEntries, changes);
            if (!misfits.isEmpty()) {
                throw new IllegalArgumentException(
                        prefix(settings, "commit to") + " but the change set does not fit its base "
                                + baseHead.map(ObjectId::name).orElse("(empty)") + ": " + list(misfits));
            }

            List<String> wrongIds = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            DirCacheEditor editor = index.editor();
            for (FileChange change : changes) {
                if (change instanceof FileChange.Added a) {
                    editor.add(regularFile(
                            a.path(), blob(inserter, reader, a.path(), a.content(), a.contentId(), wrongIds, missing)));
                } else if (change instanceof FileChange.Modified m) {
                    editor.add(regularFile(
                            m.path(), blob(inserter, reader, m.path(), m.content(), m.contentId(), wrongIds, missing)));
                } else if (change instanceof FileChange.Deleted d) {
                    editor.add(new DirCacheEditor.DeletePath(d.path()));
                }
            }
            if (!wrongIds.isEmpty()) {
                throw new IllegalArgumentException(
                        prefix(settings, "commit to") + " but content does not match its id: " + list(wrongIds));
            }
            if (!missing.isEmpty()) {
                throw new IOException(list(missing));
            }
            editor.finish();
            ObjectId tree = index.writeTree(inserter);
            if (tree.equals(baseTree)) {
                return Optional.empty();
            }

            PersonIdent who =
                    new PersonIdent(settings.authorName(), settings.authorEmail(), clock.instant(), clock.getZone());
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree);
            baseHead.ifPresent(commit::setParentId);
            commit.setAuthor(who);
            commit.setCommitter(who);
            // As `git commit` does, so `git log` and hosting UIs show the message cleanly.
            commit.setMessage(message.endsWith("\n") ? message : message + "\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return Optional.of(id);
        }
    }

    private ObjectInserter newInserter() {
        ObjectDatabase database = repo.getObjectDatabase();
        // One pack per commit instead of one loose file per object: 10,000 files take well under
        // a second instead of several. The pack inserter is JGit-internal API, hence the fallback.
        if (database instanceof ObjectDirectory directory) {
            return directory.newPackInserter();
        }
        return database.newInserter();
    }

    private static ObjectId blob(
            ObjectInserter inserter,
            ObjectReader reader,
            String path,
            byte[] content,
            String contentId,
            List<String> wrongIds,
            List<String> missing)
            throws IOException {
        ObjectId declared = ObjectId.fromString(contentId);
        if (content.length == 0 && !declared.equals(Constants.EMPTY_BLOB_ID)) {
            if (!reader.has(declared)) {
                missing.add("path `" + path + "` reuses blob " + contentId
                        + ", which is not in the local repository (only blobs of snapshots this store has read"
                        + " can be reused)");
            } else if (reader.open(declared).getType() != Constants.OBJ_BLOB) {
                missing.add("path `" + path + "` reuses " + contentId + ", which is not a blob");
            }
            return declared;
        }
        ObjectId actual = inserter.insert(Constants.OBJ_BLOB, content);
        if (!actual.equals(declared)) {
            wrongIds.add("path `" + path + "` has contentId " + contentId + " but its " + content.length
                    + " bytes have blob id " + actual.name());
        }
        return actual;
    }

    private static DirCacheEditor.PathEdit regularFile(String path, ObjectId blob) {
        return new DirCacheEditor.PathEdit(path) {
            @Override
            public void apply(DirCacheEntry entry) {
                entry.setFileMode(FileMode.REGULAR_FILE);
                entry.setObjectId(blob);
            }
        };
    }

    private void push(Optional<ObjectId> expected, ObjectId commit) throws IOException {
        String attempted = "push to";
        try (Transport transport = openTransport()) {
            RemoteRefUpdate update = new RemoteRefUpdate(
                    repo, (String) null, commit, branchRef, false, trackingRef, expected.orElse(ObjectId.zeroId()));
            PushResult result = transport.push(NullProgressMonitor.INSTANCE, List.of(update));
            RemoteRefUpdate done = result.getRemoteUpdate(branchRef);
            if (done == null) {
                throw new IOException("the remote did not report on " + branchRef);
            }
            switch (done.getStatus()) {
                case OK, UP_TO_DATE -> {}
                case REJECTED_REMOTE_CHANGED -> {
                    Ref advertised = result.getAdvertisedRef(branchRef);
                    throw stale(expected, Optional.ofNullable(advertised).map(Ref::getObjectId));
                }
                default -> {
                    // The branch may have moved after it was advertised to us (the remote then
                    // refuses to lock or update it): ask again to tell that from other refusals.
                    Optional<ObjectId> now = remoteHead(transport);
                    if (!now.equals(expected)) {
                        throw stale(expected, now);
                    }
                    throw new IOException("the remote refused the update (" + done.getStatus()
                            + (done.getMessage() == null ? "" : ": " + done.getMessage()) + ")");
                }
            }
            Optional<ObjectId> after = remoteHead(transport);
            if (!after.equals(Optional.of(commit))) {
                throw new IOException("the remote accepted commit " + commit.name() + " but its branch now points at "
                        + after.map(ObjectId::name).orElse("nothing (deleted)"));
            }
        } catch (StaleStateException e) {
            throw e;
        } catch (IOException e) {
            throw failure(attempted, e);
        } catch (RuntimeException e) {
            throw wrapJGit(attempted, e);
        }
    }

    private StaleStateException stale(Optional<ObjectId> expected, Optional<ObjectId> actual) {
        return new StaleStateException(
                prefix(settings, "push to") + " but the remote moved from " + abbreviate(expected) + " to "
                        + abbreviate(actual) + " since it was read; re-run to recompute",
                expected.map(ObjectId::name),
                actual.map(ObjectId::name));
    }

    private static String abbreviate(Optional<ObjectId> id) {
        return id.map(i -> i.abbreviate(7).name()).orElse("(no branch)");
    }

    private Transport openTransport() throws IOException {
        Transport transport = Transport.open(repo, remote);
        transport.setTimeout((int) settings.timeout().toSeconds());
        transport.setTagOpt(TagOpt.NO_TAGS);
        settings.credentials().ifPresent(transport::setCredentialsProvider);
        return transport;
    }

    private static URIish remoteUri(GitStoreSettings settings) throws IOException {
        try {
            URIish uri = new URIish(settings.url());
            if (uri.getScheme() == null && uri.getHost() == null && uri.getPath() != null) {
                // JGit resolves relative local paths against the private repository, not the
                // working directory the user meant.
                uri = uri.setPath(
                        Path.of(uri.getPath()).toAbsolutePath().normalize().toString());
            }
            return uri;
        } catch (URISyntaxException | InvalidPathException e) {
            throw new IOException(prefix(settings, "open") + " but its url is not a Git URL: " + reason(e), e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("State store `" + settings.name() + "` is closed");
        }
    }

    private IOException failure(String attempted, Exception cause) {
        return new IOException(prefix(settings, attempted) + " but " + reason(cause), cause);
    }

    // Unchecked JGit exceptions are wrapped like checked ones; anything else is our own bug or
    // a caller error and passes through.
    private IOException wrapJGit(String attempted, RuntimeException e) {
        if (e.getClass().getName().startsWith("org.eclipse.jgit.")) {
            return failure(attempted, e);
        }
        throw e;
    }

    private static String prefix(GitStoreSettings settings, String attempted) {
        return "Tried to " + attempted + " state store `" + settings.name() + "` (" + settings.displayUrl()
                + ", branch " + settings.branch() + ")";
    }

    private static String reason(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static String list(List<String> problems) {
        String shown = String.join("; ", problems.subList(0, Math.min(problems.size(), MAX_PROBLEMS_LISTED)));
        int more = problems.size() - MAX_PROBLEMS_LISTED;
        return more > 0 ? shown + "; and " + more + " more" : shown;
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
