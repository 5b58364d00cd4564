package dev.kbr.engine;

import dev.kbr.model.Destination;
import dev.kbr.model.WorkId;
import dev.kbr.platformapi.ServerFields;
import dev.kbr.state.DesiredFile;
import dev.kbr.state.DestinationRecord;
import dev.kbr.state.GroupRecord;
import dev.kbr.state.ObjectRecord;
import dev.kbr.state.Records;
import dev.kbr.state.WorkRecord;
import dev.kbr.state.layout.RecordsFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The desired tree and records of one state store while {@link StateRenderer} builds them: the
 * files each current Destination writes, what is kept of Destinations that are gone, and kbr's
 * records. Used by one thread, inside one render.
 */
final class StoreDraft {
    /** What happens to a Destination recorded in a store that no longer has it. */
    enum Fate {
        /** cleanup: none (or cleanup held back): everything written for it stays. */
        FROZEN,
        /** cleanup: all: everything written for it goes. */
        CLEANED
    }

    final StoreContext ctx;
    private final Map<String, Destination> destinations;
    final SortedMap<String, DesiredFile> desired = new TreeMap<>();
    final Map<String, String> owners = new HashMap<>();
    final Map<WorkId, List<GroupRecord>> works = new TreeMap<>();
    final SortedMap<String, DestinationRecord> destinationRecords = new TreeMap<>();
    final SortedMap<String, Fate> gone = new TreeMap<>();
    final SortedMap<String, String> roots = new TreeMap<>();
    /** Folders of WorkPlacements written from this pass's output, replaced as a whole. */
    final SortedSet<String> replacedFolders = new TreeSet<>();

    final List<String> problems = new ArrayList<>();
    final List<ObjectConflicts.Placed> placed = new ArrayList<>();

    StoreDraft(StoreContext ctx, Map<String, Destination> destinations) {
        this.ctx = ctx;
        this.destinations = destinations;
    }

    String name() {
        return ctx.model().name();
    }

    String storePath() {
        return ctx.model().path();
    }

    /** A current Destination of this store. */
    boolean hasCurrent(String destination) {
        Destination d = destinations.get(destination);
        return d != null && d.stateStoreRef().name().equals(name());
    }

    /** Adds a file a current Destination writes; a path two Destinations write is a problem. */
    void write(String path, DesiredFile file, String owner) {
        String previous = owners.putIfAbsent(path, owner);
        if (previous != null && !previous.equals(owner)) {
            problems.add(path + " is written for both " + previous + " and " + owner
                    + "; give the Destinations folders that do not overlap");
        }
        desired.put(path, file);
    }

    /** Keeps a file of a gone Destination, unless a current Destination writes that path now. */
    void keep(String path, String contentId) {
        desired.putIfAbsent(path, new DesiredFile.Existing(contentId));
    }

    void record(WorkId work, GroupRecord group) {
        works.computeIfAbsent(work, k -> new ArrayList<>()).add(group);
    }

    /** kbr's own records: one per Work, object and Destination. */
    void addRecords(Execution execution, java.util.Set<dev.kbr.model.ObjectKey> createdThroughApi) {
        String storePath = storePath();
        Records read = ctx.records();
        works.forEach((id, groups) -> {
            WorkRecord record = new WorkRecord(id, groups);
            putRecord(
                    RecordsFormat.path(storePath, id), record, read.works().get(id), () -> RecordsFormat.write(record));
        });
        execution.allObjects().forEach((key, object) -> {
            ObjectRecord record = new ObjectRecord(
                    key, object, Optional.ofNullable(execution.lastRuns().get(key)), createdThroughApi.contains(key));
            ObjectRecord previous = read.objects().get(key);
            putRecord(
                    RecordsFormat.path(storePath, key),
                    previous != null && !record.equals(previous) && sameButServerFields(record, previous)
                            ? previous
                            : record,
                    previous,
                    () -> RecordsFormat.write(record));
        });
        destinationRecords.forEach((name, record) -> desired.put(
                RecordsFormat.destinationPath(storePath, name), new DesiredFile.Bytes(RecordsFormat.write(record))));
    }

    /**
     * True when two object records differ at most in the fields an API server sets on the object
     * ({@link ServerFields#SET_BY_SERVER}): a record written before kbr set them, or with a
     * generation counted from another history, is kept as it is rather than rewritten in every
     * store on upgrade. The fields are derived again from it in the next pass.
     */
    private static boolean sameButServerFields(ObjectRecord record, ObjectRecord previous) {
        return record.key().equals(previous.key())
                && record.lastRun().equals(previous.lastRun())
                && record.createdThroughApi() == previous.createdThroughApi()
                && ServerFields.sameContent(
                        ServerFields.withoutServerFields(record.object()),
                        ServerFields.withoutServerFields(previous.object()));
    }

    /**
     * Puts a record into the desired tree: the file already at {@code path} when the record read
     * from it equals the one to write, else the record's bytes. Most records of a pass are
     * unchanged, and comparing them is far cheaper than writing and hashing each again
     * (RecordsFormat.read keeps the record read from the record's own path).
     */
    private void putRecord(String path, Object record, Object read, Supplier<byte[]> bytes) {
        String currentId = ctx.snapshot().files().get(path);
        desired.put(
                path,
                currentId != null && record.equals(read)
                        ? new DesiredFile.Existing(currentId)
                        : new DesiredFile.Bytes(bytes.get()));
    }
}
