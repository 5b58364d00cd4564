package dev.kbr.state.bucket;

import dev.kbr.model.BucketStateStore;
import dev.kbr.model.PlatformOrigin;
import dev.kbr.state.ChangeSet;
import dev.kbr.state.CommitResult;
import dev.kbr.state.ContentId;
import dev.kbr.state.FileChange;
import dev.kbr.state.StaleStateException;
import dev.kbr.state.StateSnapshot;
import dev.kbr.state.StateStore;
import dev.kbr.state.StoreLocation;
import dev.kbr.state.layout.StateLayout;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A bucket state store: the objects under a BucketStateStore's {@code spec.path}, keyed exactly as
 * the paths a Git state store would hold (Kratix's layout), read and written with S3 requests.
 *
 * <p>Reading lists the prefix (one request per thousand objects) and the records archive (one
 * request); an object's content is fetched only when its ETag is one kbr has not seen before. The
 * version is a digest of every listed key and ETag, so any change by anyone (another kbr, Kratix,
 * a hand edit) is a new version.
 *
 * <p>Writing, under the bucket's lease ({@link BucketLease}), after checking that the prefix is
 * still at the version the changes were computed from: new and changed objects first, then
 * deletions, then the records archive, so that every state a reader such as Flux's {@code Bucket}
 * source can download between two requests is a tree that builds, and a writer killed at any
 * moment leaves complete objects that the next pass adopts or finishes. Kratix's bucket writer
 * ({@code lib/writers/s3.go}) writes one object per file too, and skips those whose ETag already
 * matches; it has no ordering and no lease.
 */
public final class S3StateStore implements StateStore {
    private static final int THREADS = 8;
    // A pass that reads this many delivered files one by one reads most of them (records of an
    // earlier release do not say which outputs hold sub-requests): fetch the rest at once.
    private static final int READS_BEFORE_BULK = 64;
    private static final int BULK_THREADS = 16;
    private static final int BULK_MAX_OBJECTS = 20_000;
    private static final int PUTS_PER_CHECK = 200;

    private final BucketStateStore store;
    private final S3Access s3;
    private final BucketLease lease;
    private final String prefix;
    private final String recordsRoot;
    private final String packKey;
    private boolean conditionsChecked;

    private S3StateStore(BucketSettings settings) throws IOException {
        this.store = settings.store();
        this.s3 = new S3Access(settings);
        this.prefix = store.path().isEmpty() ? "" : store.path() + "/";
        this.recordsRoot = StateLayout.recordsRoot(store.path());
        this.packKey = recordsRoot + "records/" + store.name() + ".tar.gz";
        String holder = holder();
        this.lease = new BucketLease(s3, recordsRoot + "lease", settings.lease(), holder);
    }

    /**
     * Opens a bucket state store. No request is made until {@link #read()}.
     *
     * @param settings the store, its credentials and lease times
     * @throws IOException when the CA file cannot be read
     */
    public static S3StateStore open(BucketSettings settings) throws IOException {
        return new S3StateStore(settings);
    }

    @Override
    public StoreLocation location() {
        return new StoreLocation(store.name(), store.kind(), store.displayUrl(), Optional.empty());
    }

    /**
     * Lists the prefix and reads the records.
     *
     * @throws IOException naming the store, and the Secret or endpoint to check, when the server
     *     refuses or cannot be reached; a missing bucket reads as an empty store
     */
    @Override
    public StateSnapshot read() throws IOException {
        Optional<Listing> listing = list();
        if (listing.isEmpty()) {
            return StateSnapshot.empty();
        }
        Listing current = listing.get();
        Map<String, byte[]> fetched = new ConcurrentHashMap<>();
        SortedMap<String, String> files = new TreeMap<>();
        List<String> unknown = new ArrayList<>();
        Map<String, String> idOfEtag = new TreeMap<>(current.pack().contentIds());
        if (current.otherPacks().size() > 0
                && current.objects().values().stream().anyMatch(etag -> !idOfEtag.containsKey(etag))) {
            idOfEtag.putAll(otherStoresContentIds(current.otherPacks()));
        }
        current.objects().forEach((key, etag) -> {
            String id = idOfEtag.get(etag);
            if (id != null) {
                files.put(key, id);
            } else {
                unknown.add(key);
            }
        });
        Map<String, String> computed = Parallel.map(unknown, THREADS, key -> {
            byte[] content = s3.get(key);
            fetched.put(key, content);
            return ContentId.of(content);
        });
        files.putAll(computed);
        SortedMap<String, byte[]> records = new TreeMap<>();
        current.pack().records().forEach((path, content) -> records.put(recordsRoot + path, content));
        records.forEach((path, content) -> files.put(path, ContentId.of(content)));
        java.util.concurrent.atomic.AtomicInteger singleReads = new java.util.concurrent.atomic.AtomicInteger();
        return new StateSnapshot(current.version(), files, (path, id) -> {
            byte[] content = records.containsKey(path) ? records.get(path) : fetched.get(path);
            if (content == null && singleReads.incrementAndGet() == READS_BEFORE_BULK) {
                prefetch(current, fetched);
                content = fetched.get(path);
            }
            if (content == null) {
                content = s3.fetch(path).map(S3Access.Fetched::content).orElse(null);
            }
            if (content == null || !ContentId.of(content).equals(id)) {
                throw changedSinceRead(current.version(), path, content == null);
            }
            return content;
        });
    }

    /**
     * Fetches every object of the listing not fetched yet, sixteen at a time, into {@code
     * fetched}; at most {@value #BULK_MAX_OBJECTS} objects, beyond which reads stay one by one.
     * Best effort: an object that cannot be read now is read (and its failure reported) when it
     * is asked for.
     */
    private void prefetch(Listing current, Map<String, byte[]> fetched) {
        List<String> rest = current.objects().keySet().stream()
                .filter(key -> !fetched.containsKey(key))
                .toList();
        if (rest.size() > BULK_MAX_OBJECTS) {
            return;
        }
        try {
            Parallel.map(rest, BULK_THREADS, key -> {
                try {
                    fetched.put(key, s3.get(key));
                } catch (IOException e) {
                    // Read again, and reported, when asked for.
                }
                return "";
            });
        } catch (IOException e) {
            // Only what each read reports matters.
        }
    }

    /**
     * An object of a snapshot no longer holds what the listing said: another writer wrote the
     * prefix after this pass listed it, so the pass is stale, as a commit that finds the prefix
     * moved is, and the engine reads the store again and retries. Only when the prefix is still at
     * the version read is it an inconsistency that a retry cannot mend.
     */
    private IOException changedSinceRead(Optional<String> read, String path, boolean gone) throws IOException {
        Optional<String> now = list().flatMap(Listing::version);
        String what = s3.where() + ": object " + path + (gone ? " is gone" : " changed") + " since this pass read"
                + " the bucket";
        if (now.equals(read)) {
            return new IOException(what + ", yet the bucket's listing is unchanged (version " + read.orElse("(empty)")
                    + "): its content does not match kbr's records; run again, and if this persists delete "
                    + packKey + " so that kbr adopts what is in the bucket");
        }
        return new StaleStateException(what + " (another writer is at work)", read, now);
    }

    /**
     * Writes the changes under the bucket's lease, in the order the class describes.
     *
     * @param platform not written anywhere: objects carry no message
     * @throws StaleStateException when the prefix moved since {@code base} was read; nothing was
     *     written
     * @throws IOException naming the store when a request fails; what was written by then is
     *     complete objects, never referenced by the records, which the next pass adopts
     */
    @Override
    public CommitResult commit(StateSnapshot base, ChangeSet changes, PlatformOrigin platform) throws IOException {
        if (changes.isEmpty()) {
            return new CommitResult.Unchanged();
        }
        Optional<Listing> before = list();
        if (before.isEmpty()) {
            s3.createBucket();
        }
        BucketLease.Held held = lease.acquire();
        try {
            checkConditionalWrites(held);
            Listing current = list().orElseThrow(() -> new IOException(s3.where() + ": the bucket vanished"));
            Optional<String> moved =
                    current.version().equals(base.version()) ? Optional.empty() : whatMoved(base, current, changes);
            if (moved.isPresent()) {
                throw new StaleStateException(
                        s3.where() + ": " + moved.get() + " since this pass read the bucket (version "
                                + base.version().orElse("(empty)") + ", now "
                                + current.version().orElse("(empty)") + ")",
                        base.version(),
                        current.version());
            }
            return write(base, current, changes, held);
        } finally {
            held.release();
        }
    }

    /**
     * What changed since {@code base} that the change set depends on: this store's records (every
     * other kbr writing this store rewrites them) or an object at a path the change set writes or
     * deletes. Objects elsewhere under the prefix (another store's Destinations sharing the bucket,
     * a file no pass of this store touches) do not make the change set wrong, so they do not force
     * it to be recomputed; they stay as they are.
     */
    private Optional<String> whatMoved(StateSnapshot base, Listing current, ChangeSet changes) {
        SortedMap<String, String> baseRecords = new TreeMap<>(base.files().tailMap(recordsRoot));
        baseRecords.keySet().removeIf(path -> !path.startsWith(recordsRoot));
        SortedMap<String, String> currentRecords = new TreeMap<>();
        current.pack()
                .records()
                .forEach((path, content) -> currentRecords.put(recordsRoot + path, ContentId.of(content)));
        if (!baseRecords.equals(currentRecords)) {
            return Optional.of("another writer changed this store's records");
        }
        Map<String, String> idOfEtag = new TreeMap<>(current.pack().contentIds());
        for (FileChange change : changes.changes()) {
            String path = change.path();
            if (path.startsWith(recordsRoot)) {
                continue;
            }
            String etag = current.objects().get(path);
            String now = etag == null ? null : idOfEtag.getOrDefault(etag, "unknown content " + etag);
            if (!java.util.Objects.equals(now, base.files().get(path))) {
                return Optional.of(path + " changed");
            }
        }
        return Optional.empty();
    }

    private CommitResult write(StateSnapshot base, Listing current, ChangeSet changes, BucketLease.Held held)
            throws IOException {
        List<FileChange> objectWrites = new ArrayList<>();
        List<String> objectDeletes = new ArrayList<>();
        SortedMap<String, byte[]> records = new TreeMap<>(current.pack().records());
        for (FileChange change : changes.changes()) {
            boolean record = change.path().startsWith(recordsRoot);
            String relative = record ? change.path().substring(recordsRoot.length()) : change.path();
            if (change instanceof FileChange.Deleted) {
                if (record) {
                    records.remove(relative);
                } else {
                    objectDeletes.add(change.path());
                }
            } else if (record) {
                records.put(relative, contentOf(change));
            } else {
                objectWrites.add(change);
            }
        }
        SortedMap<String, String> objects = new TreeMap<>(current.objects());
        Map<String, String> knownIds = new TreeMap<>(current.pack().contentIds());
        base.files().forEach((path, id) -> {
            String etag = current.objects().get(path);
            if (etag != null) {
                knownIds.put(etag, id);
            }
        });
        for (int start = 0; start < objectWrites.size(); start += PUTS_PER_CHECK) {
            held.check();
            List<FileChange> batch = objectWrites.subList(start, Math.min(objectWrites.size(), start + PUTS_PER_CHECK));
            Map<String, byte[]> contents = new TreeMap<>();
            batch.forEach(change -> contents.put(change.path(), contentOf(change)));
            Map<String, String> etags = Parallel.map(
                    List.copyOf(contents.keySet()),
                    THREADS,
                    path -> s3.put(path, contents.get(path), new S3Access.Condition.None(), Optional.empty()));
            for (FileChange change : batch) {
                String etag = etags.get(change.path());
                objects.put(change.path(), etag);
                knownIds.put(etag, contentIdOf(change));
            }
        }
        if (!objectDeletes.isEmpty()) {
            held.check();
            s3.deleteAll(objectDeletes);
            objectDeletes.forEach(objects::remove);
        }
        SortedMap<String, String> index = new TreeMap<>();
        objects.values().forEach(etag -> {
            String id = knownIds.get(etag);
            if (id != null) {
                index.put(etag, id);
            }
        });
        byte[] pack = new RecordsPack(records, index).write();
        held.check();
        String packEtag = s3.put(
                packKey,
                pack,
                current.packEtag()
                        .<S3Access.Condition>map(S3Access.Condition.Holds::new)
                        .orElseGet(S3Access.Condition.Absent::new),
                Optional.empty());
        String version = version(objects, Optional.of(packEtag)).orElseThrow();
        return new CommitResult.Committed(version, changes.changes().size());
    }

    /** The new bytes of an added or modified file. */
    private static byte[] contentOf(FileChange change) {
        return change instanceof FileChange.Added added ? added.content() : ((FileChange.Modified) change).content();
    }

    private static String contentIdOf(FileChange change) {
        return change instanceof FileChange.Added added
                ? added.contentId()
                : ((FileChange.Modified) change).contentId();
    }

    /**
     * A server that ignores {@code If-None-Match} would let two writers hold the lease at once:
     * refuse to write rather than interleave with another writer. Checked once per store, on the
     * lease just taken.
     */
    private void checkConditionalWrites(BucketLease.Held held) throws IOException {
        if (conditionsChecked) {
            return;
        }
        if (!held.conditionsHonoured()) {
            throw new IOException(s3.where() + ": the server ignores conditional writes (a write with If-None-Match: *"
                    + " replaced an existing object), so kbr cannot keep two writers of this bucket apart and"
                    + " writes nothing. Use a server that honours them (AWS S3, MinIO, S3Proxy 3)");
        }
        conditionsChecked = true;
    }

    /**
     * The content ids other stores sharing this prefix know (the seeds' {@code default} and
     * {@code minio-store} in one bucket), so that one store does not read the other's objects on
     * every pass. A table that cannot be read is only a cache missed.
     */
    private Map<String, String> otherStoresContentIds(List<String> packs) {
        Map<String, String> ids = new TreeMap<>();
        for (String key : packs) {
            try {
                ids.putAll(RecordsPack.read(s3.get(key), key).contentIds());
            } catch (IOException e) {
                // The objects are then read and their ids computed.
            }
        }
        return ids;
    }

    /** The prefix's objects (without kbr's own), its records and version; empty for no bucket. */
    private Optional<Listing> list() throws IOException {
        Optional<SortedMap<String, String>> all = s3.list(prefix);
        if (all.isEmpty()) {
            return Optional.empty();
        }
        SortedMap<String, String> objects = new TreeMap<>();
        Optional<String> packEtag = Optional.empty();
        List<String> otherPacks = new ArrayList<>();
        for (Map.Entry<String, String> object : all.get().entrySet()) {
            String key = object.getKey();
            if (key.equals(packKey)) {
                packEtag = Optional.of(object.getValue());
            } else if (key.startsWith(recordsRoot + "records/") && key.endsWith(".tar.gz")) {
                otherPacks.add(key);
            } else if (!key.startsWith(recordsRoot)) {
                objects.put(key, object.getValue());
            }
        }
        RecordsPack pack = packEtag.isPresent() ? RecordsPack.read(s3.get(packKey), packKey) : RecordsPack.empty();
        return Optional.of(new Listing(objects, packEtag, pack, version(objects, packEtag), otherPacks));
    }

    /** A digest of every key and ETag kbr reads; empty when there is nothing. */
    private Optional<String> version(SortedMap<String, String> objects, Optional<String> packEtag) {
        if (objects.isEmpty() && packEtag.isEmpty()) {
            return Optional.empty();
        }
        try {
            var sha = java.security.MessageDigest.getInstance("SHA-256");
            Function<String, byte[]> utf8 = s -> s.getBytes(StandardCharsets.UTF_8);
            objects.forEach((key, etag) -> {
                sha.update(utf8.apply(key + "\0" + etag + "\n"));
            });
            packEtag.ifPresent(etag -> sha.update(utf8.apply(packKey + "\0" + etag + "\n")));
            return Optional.of(HexFormat.of().formatHex(sha.digest()).substring(0, 40));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }

    private record Listing(
            SortedMap<String, String> objects,
            Optional<String> packEtag,
            RecordsPack pack,
            Optional<String> version,
            List<String> otherPacks) {}

    private static String holder() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return "kbr on " + host + ", process " + ProcessHandle.current().pid();
    }

    @Override
    public void close() {
        s3.close();
    }
}
