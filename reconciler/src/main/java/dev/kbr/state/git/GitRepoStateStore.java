package dev.kbr.state.git;

import dev.kbr.model.PlatformOrigin;
import dev.kbr.state.ChangeSet;
import dev.kbr.state.CommitResult;
import dev.kbr.state.ContentId;
import dev.kbr.state.FileChange;
import dev.kbr.state.StaleStateException;
import dev.kbr.state.StateSnapshot;
import dev.kbr.state.StateStore;
import dev.kbr.state.StoreLocation;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
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
import org.eclipse.jgit.internal.storage.file.ObjectDirectory;
import org.eclipse.jgit.internal.storage.file.PackInserter;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
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
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;

/**
 * A Git state store: one branch of one remote repository, read and written through a private
 * bare repository in a scratch directory. No work tree is ever checked out.
 *
 * <p>{@link #read()} asks the remote for the branch head and fetches only when the head is not
 * already in the local repository; it then fetches {@code refs/heads/<branch>} alone, with depth
 * 1 (the head commit and its tree, no history, no tags). A scratch directory given in the
 * settings is kept between runs, so a repeated pass over an unchanged remote downloads nothing
 * and a pass after a change downloads only the new objects. {@link #commit} edits the base
 * commit's tree by path, reading and writing only the directories on the way to a changed file,
 * writes all new objects as one pack, makes one commit (author and committer from the settings,
 * time from the clock, parent the base head) and pushes it with the base head as the expected old
 * id: the branch moves only if nobody else moved it since it was read, and nothing is ever
 * force-pushed.
 *
 * <p>Mirrors Kratix's git writer ({@code lib/writers/git.go}) in what lands in the repo (paths,
 * bytes, mode 100644, author {@code kratix <>} by default, a plain fast-forward push that fails
 * when the branch moved) but not in granularity: Kratix makes one commit per WorkPlacement, kbr
 * one per pass, so Flux sees the whole pass at once or not at all.
 *
 * <p>Every failure is an {@link IOException} whose message says what was attempted, on which
 * store, URL and branch, and why; the JGit exception is kept as the cause, never thrown. A push
 * refused because the branch moved is a {@link StaleStateException}. A kept local repository that
 * cannot be used (made for another URL, by another layout version, or broken) is deleted and
 * fetched anew, never pushed from. Methods are synchronized; one instance serves one store for
 * one run.
 */
public final class GitRepoStateStore implements StateStore {
    /** Blobs larger than this are not read into memory (GitHub refuses files above 100 MB too). */
    static final int MAX_BLOB_BYTES = 100 * 1024 * 1024;

    private static final int MAX_PROBLEMS_LISTED = 20;
    /** Only the head commit and its tree are fetched: kbr never needs a store's history. */
    static final int FETCH_DEPTH = 1;

    /**
     * A kept repository with more packs than this is started over before the next read. Every
     * object lookup searches the packs one after another, so reads and commits slow down as passes
     * add packs; one fresh shallow fetch every so many commits costs less than repacking.
     */
    static final int MAX_PACKS = 24;

    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-f]{40}");

    private final GitStoreSettings settings;
    private final Clock clock;
    private final URIish remote;
    private final Path scratch;
    private final boolean ownsScratch;
    private final ScratchRepository local;
    private final String branchRef;
    private final String trackingRef;
    private Repository repo;
    // One reader for every blob read from snapshots: it keeps its delta base cache and open pack
    // windows between reads. Guarded by this store's lock; replaced when the repository is.
    private ObjectReader blobReader;
    private volatile boolean closed;
    // Credentials, SSH session factory and HTTPS trust; made on the first connection (so a bad
    // key is reported as a failed read, naming the Secret), closed with the store.
    private GitTransportSetup transportSetup;

    private GitRepoStateStore(
            GitStoreSettings settings,
            Clock clock,
            URIish remote,
            Path scratch,
            boolean ownsScratch,
            ScratchRepository local) {
        this.settings = settings;
        this.clock = clock;
        this.remote = remote;
        this.scratch = scratch;
        this.ownsScratch = ownsScratch;
        this.local = local;
        this.repo = local.repository();
        this.branchRef = Constants.R_HEADS + settings.branch();
        this.trackingRef = Constants.R_REMOTES + "origin/" + settings.branch();
    }

    /**
     * Prepares a store: parses the URL and creates (or reopens) the private bare repository in the
     * scratch directory. Does not contact the remote. A given scratch directory is a cache: the
     * repository an earlier run left there is reused when it was made for the same URL and opens
     * cleanly, and is started over otherwise. When another store (in this or another process)
     * holds that directory, this store works in a temporary directory instead.
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
        if (settings.scratchDirectory().isPresent()) {
            Path kept;
            try {
                kept = Files.createDirectories(settings.scratchDirectory().get());
            } catch (IOException e) {
                throw new IOException(
                        prefix(settings, "open") + " but its scratch directory could not be created: " + reason(e), e);
            }
            Optional<GitRepoStateStore> store = open(settings, clock, remote, kept, false);
            if (store.isPresent()) {
                return store.get();
            }
        }
        Path temporary;
        try {
            temporary = dev.kbr.run.TempFolders.create("git-store");
        } catch (IOException e) {
            throw new IOException(
                    prefix(settings, "open") + " but its scratch directory could not be created: " + reason(e), e);
        }
        return open(settings, clock, remote, temporary, true).orElseThrow();
    }

    // Empty when a kept directory is locked by another store.
    private static Optional<GitRepoStateStore> open(
            GitStoreSettings settings, Clock clock, URIish remote, Path scratch, boolean owns) throws IOException {
        try {
            return ScratchRepository.open(scratch, remote, !owns)
                    .map(local -> new GitRepoStateStore(settings, clock, remote, scratch, owns, local));
        } catch (IOException | RuntimeException e) {
            IOException failure = new IOException(
                    prefix(settings, "open") + " but its local repository in " + scratch + " could not be prepared: "
                            + reason(e),
                    e);
            if (owns) {
                try {
                    ScratchRepository.deleteRecursively(scratch);
                } catch (IOException cleanup) {
                    failure.addSuppressed(cleanup);
                }
            }
            throw failure;
        }
    }

    /**
     * Fetches the branch (unless its head is already here) and lists its tree. Regular files,
     * executables and symlinks are listed with their blob id; submodule entries are not (they
     * have no content here). An empty remote or a missing branch gives a snapshot without head and
     * files. The snapshot's reader reads from the local repository while this store is open.
     *
     * <p>When the remote answers but the kept local repository then fails (a broken pack, a
     * missing object), the local repository is deleted and the read is tried once more from
     * nothing.
     *
     * @throws IOException when the remote cannot be reached or read
     * @throws IllegalStateException when the store is closed
     */
    @Override
    public synchronized StateSnapshot read() throws IOException {
        requireOpen();
        Progress progress = new Progress();
        try {
            return readOnce(progress);
        } catch (IOException | RuntimeException e) {
            IOException failure =
                    e instanceof IOException io ? failure("read", io) : wrapJGit("read", (RuntimeException) e);
            if (!progress.remoteAnswered || ownsScratch) {
                throw failure;
            }
            try {
                resetLocalRepository();
                return readOnce(new Progress());
            } catch (IOException | RuntimeException again) {
                IOException retried = again instanceof IOException io
                        ? failure("read", io)
                        : wrapJGit("read", (RuntimeException) again);
                retried.addSuppressed(failure);
                throw retried;
            }
        }
    }

    private static final class Progress {
        private boolean remoteAnswered;
    }

    private StateSnapshot readOnce(Progress progress) throws IOException {
        if (local.packCount() > MAX_PACKS) {
            resetLocalRepository();
        }
        Optional<ObjectId> head = fetchBranch(progress);
        SortedMap<String, String> files = head.isPresent()
                ? ScratchRepository.files(
                        repo, head.get(), mode -> mode.getObjectType() == Constants.OBJ_BLOB, ObjectId::name)
                : new TreeMap<>();
        return new StateSnapshot(head.map(ObjectId::name), files, (path, contentId) -> readBlob(contentId));
    }

    private void resetLocalRepository() throws IOException {
        releaseBlobReader();
        local.reset();
        repo = local.repository();
    }

    /** The store's URL (password masked) and branch. */
    @Override
    public StoreLocation location() {
        return new StoreLocation(
                settings.name(), "GitStateStore", settings.displayUrl(), Optional.of(settings.branch()));
    }

    /**
     * Commits {@code changes} with a message that counts them and names the platform in Git
     * trailers ({@link CommitMessage}), as {@link #commit(StateSnapshot, ChangeSet, String)} does.
     */
    @Override
    public CommitResult commit(StateSnapshot base, ChangeSet changes, PlatformOrigin platform) throws IOException {
        return commit(base, changes, CommitMessage.of(changes, platform));
    }

    /**
     * Commits {@code changes} on top of {@code base} and pushes the commit if the branch still
     * points at {@code base.version()}. Files are written with mode 100644; a directory whose
     * last file is deleted disappears. When the change set is empty, or leaves the tree as it
     * was, nothing is contacted and nothing is pushed.
     *
     * @param base a snapshot this store has read (its head must be in the local repository)
     * @param changes the changes; their {@code contentId}s must be the {@link ContentId}s (which
     *     are Git blob ids) of their content
     * @param message the commit message (a final newline is added when missing)
     * @return {@link CommitResult.Committed} with the new commit id and the number of changes, or
     *     {@link CommitResult.Unchanged}
     * @throws StaleStateException when the branch moved since {@code base} was read; nothing was
     *     written
     * @throws IOException when the commit cannot be built or pushed, or the branch does not point
     *     at the new commit after the push
     * @throws IllegalArgumentException when the change set does not fit {@code base}: malformed
     *     paths or ids, a path changed twice, an added path that exists, a modified or deleted
     *     path that does not exist or has another id, content that does not match its id, or a
     *     path left both a file and a directory; every problem is listed
     * @throws IllegalStateException when the store is closed
     */
    public synchronized CommitResult commit(StateSnapshot base, ChangeSet changes, String message) throws IOException {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(message, "message");
        requireOpen();
        if (changes.isEmpty()) {
            return new CommitResult.Unchanged();
        }
        Optional<ObjectId> expected = base.version().map(id -> {
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
     * {@link #open}; a given scratch directory is kept (and unlocked) for the next run.
     * Idempotent.
     *
     * @throws IOException when the scratch directory cannot be deleted
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        releaseBlobReader();
        if (transportSetup != null) {
            transportSetup.close();
        }
        local.close();
        if (ownsScratch) {
            try {
                ScratchRepository.deleteRecursively(scratch);
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

    private Optional<ObjectId> fetchBranch(Progress progress) throws IOException {
        try (Transport transport = openTransport()) {
            Optional<ObjectId> advertised = remoteHead(transport);
            progress.remoteAnswered = true;
            if (advertised.isEmpty()) {
                return advertised;
            }
            ObjectId head = advertised.get();
            if (repo.getObjectDatabase().has(head)) {
                // Already here (read before, or written by this store): no second connection.
                setTrackingRef(head);
                return advertised;
            }
            // Depth 1 from an empty repository fetches the head and its tree; from a kept one, it
            // fetches what the head has that the local tracking ref (offered as common) lacks.
            transport.setDepth(FETCH_DEPTH);
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

    private synchronized byte[] readBlob(String contentId) throws IOException {
        String attempted = "read blob " + contentId + " of";
        if (closed) {
            throw new IOException(prefix(settings, attempted) + " but the store is closed");
        }
        if (!OBJECT_ID.matcher(contentId).matches()) {
            throw new IOException(prefix(settings, attempted) + " but that is not a blob id");
        }
        try {
            if (blobReader == null) {
                blobReader = repo.newObjectReader();
            }
            ObjectLoader loader = blobReader.open(ObjectId.fromString(contentId), Constants.OBJ_BLOB);
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

    private void releaseBlobReader() {
        if (blobReader != null) {
            blobReader.close();
            blobReader = null;
        }
    }

    private Optional<ObjectId> createCommit(Optional<ObjectId> baseHead, List<FileChange> changes, String message)
            throws IOException {
        try (ObjectInserter inserter = newInserter();
                ObjectReader reader = inserter.newReader()) {
            ObjectId baseTree = Constants.EMPTY_TREE_ID;
            if (baseHead.isPresent()) {
                if (!reader.has(baseHead.get())) {
                    throw new IOException("its base commit " + baseHead.get().name()
                            + " is not in the local repository (commit on a snapshot this store has read)");
                }
                try (RevWalk walk = new RevWalk(reader)) {
                    baseTree = walk.parseCommit(baseHead.get()).getTree().copy();
                }
            }
            TreeEdit edit = new TreeEdit(reader, baseTree);
            List<String> paths = new ArrayList<>(changes.size());
            for (FileChange change : changes) {
                if (ChangeSetCheck.pathProblem(change.path()) == null) {
                    paths.add(change.path());
                }
            }
            List<String> misfits = ChangeSetCheck.problems(edit.relevantBase(paths), changes);
            if (!misfits.isEmpty()) {
                throw new IllegalArgumentException(
                        prefix(settings, "commit to") + " but the change set does not fit its base "
                                + baseHead.map(ObjectId::name).orElse("(empty)") + ": " + list(misfits));
            }

            List<String> wrongIds = new ArrayList<>();
            Map<String, ObjectId> edits = new HashMap<>(changes.size() * 2);
            for (FileChange change : changes) {
                if (change instanceof FileChange.Added a) {
                    edits.put(a.path(), blob(inserter, a.path(), a.content(), a.contentId(), wrongIds));
                } else if (change instanceof FileChange.Modified m) {
                    edits.put(m.path(), blob(inserter, m.path(), m.content(), m.contentId(), wrongIds));
                } else if (change instanceof FileChange.Deleted d) {
                    edits.put(d.path(), null);
                }
            }
            if (!wrongIds.isEmpty()) {
                throw new IllegalArgumentException(
                        prefix(settings, "commit to") + " but content does not match its id: " + list(wrongIds));
            }
            ObjectId tree = edit.apply(edits, inserter);
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
            PackInserter inserter = directory.newPackInserter();
            // Looking up every new object in every pack costs more than the rare duplicate (the
            // same content written again) saves; duplicates are harmless and never pushed twice.
            inserter.checkExisting(false);
            return inserter;
        }
        return database.newInserter();
    }

    private static ObjectId blob(
            ObjectInserter inserter, String path, byte[] content, String contentId, List<String> wrongIds)
            throws IOException {
        ObjectId declared = ObjectId.fromString(contentId);
        ObjectId actual = inserter.insert(Constants.OBJ_BLOB, content);
        if (!actual.equals(declared)) {
            wrongIds.add("path `" + path + "` has contentId " + contentId + " but its " + content.length
                    + " bytes have blob id " + actual.name());
        }
        return actual;
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
        if (transportSetup == null) {
            transportSetup = GitTransportSetup.create(settings);
        }
        Transport transport = Transport.open(repo, remote);
        transport.setTimeout((int) settings.timeout().toSeconds());
        transport.setTagOpt(TagOpt.NO_TAGS);
        transportSetup.configure(transport);
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
        Optional<String> advice = transportSetup == null ? Optional.empty() : transportSetup.advice(cause);
        // One paragraph: JGit's SSH messages span lines.
        String why = reason(cause).replaceAll("\\s*\\R\\s*", " ");
        return new IOException(
                prefix(settings, attempted) + " but " + why
                        + advice.map(a -> ": " + a).orElse(""),
                cause);
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
}
