package dev.kbr.engine;

import dev.kbr.load.YamlDocument;
import dev.kbr.load.YamlReader;
import dev.kbr.model.Destination;
import dev.kbr.model.FilepathMode;
import dev.kbr.model.WorkType;
import dev.kbr.platformapi.ServerFields;
import dev.kbr.state.ContentId;
import dev.kbr.state.DesiredFile;
import dev.kbr.state.GroupRecord;
import dev.kbr.state.RecordedWorkload;
import dev.kbr.state.WorkRecord;
import dev.kbr.state.layout.PlacedGroup;
import dev.kbr.state.layout.StateLayout;
import dev.kbr.state.layout.Workload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the bytes a state store already holds for a file kbr serialises itself (a Promise's
 * static dependencies) when they encode the same documents as the bytes kbr would write.
 *
 * <p>kbr writes static dependencies as Kratix's {@code gopkg.in/yaml.v2} encoder does, but a
 * store written by an earlier kbr release, or by a Kratix built with another encoder version,
 * may hold the same objects in other bytes. Rewriting them would change nothing Flux applies
 * while committing a large diff on every such store; so equal content keeps its bytes. Output
 * of pipelines is never touched here: it is delivered byte for byte as produced. A file whose
 * content id already equals that of kbr's bytes is not read.
 */
final class EquivalentBytes {
    private EquivalentBytes() {}

    /**
     * The group with each static dependency file replaced by the content the store holds for it,
     * when that content parses to the same documents.
     *
     * @param group a group placed on {@code destination} in this pass
     * @param ctx the store the Destination writes to
     * @throws UncheckedIOException when the store's file cannot be read
     */
    static PlacedGroup keepStored(PlacedGroup group, Destination destination, StoreContext ctx) {
        if (group.work().type() != WorkType.STATIC_DEPENDENCY) {
            return group;
        }
        List<Workload> workloads = group.workloads().stream()
                .map(w -> w.content() instanceof DesiredFile.Bytes bytes
                        ? stored(group, w.filepath(), bytes.content(), destination, ctx)
                                .filter(old -> sameDocuments(old.bytes(), bytes.content()))
                                .map(old -> new Workload(w.filepath(), old.file()))
                                .orElse(w)
                        : w)
                .toList();
        return new PlacedGroup(group.work(), group.groupId(), workloads);
    }

    /** Content the store holds for a workload, and how to keep it. */
    private record Stored(byte[] bytes, DesiredFile file) {}

    private static Optional<Stored> stored(
            PlacedGroup group, String filepath, byte[] written, Destination destination, StoreContext ctx) {
        if (destination.filepathMode() == FilepathMode.AGGREGATED_YAML) {
            // The aggregated file holds every workload; the record keeps each one's own bytes.
            WorkRecord record = ctx.records().works().get(group.work());
            return record == null
                    ? Optional.empty()
                    : record.groups().stream()
                            .filter(g -> g.destination().equals(destination.name())
                                    && g.groupId().equals(group.groupId()))
                            .map(GroupRecord::workloads)
                            .flatMap(List::stream)
                            .filter(w -> w.filepath().equals(filepath))
                            .map(RecordedWorkload::content)
                            .flatMap(Optional::stream)
                            .findFirst()
                            .map(bytes -> new Stored(bytes, new DesiredFile.Bytes(bytes)));
        }
        String path = StateLayout.filePath(ctx.model().path(), destination, group.work(), group.shortId(), filepath);
        String contentId = ctx.snapshot().files().get(path);
        if (contentId == null || contentId.equals(ContentId.of(written))) {
            // Nothing to keep, or the very bytes kbr writes: no need to read the store.
            return Optional.empty();
        }
        try {
            return Optional.of(new Stored(ctx.snapshot().read(path), new DesiredFile.Existing(contentId)));
        } catch (IOException e) {
            throw new UncheckedIOException("Tried to read " + path + " of state store " + ctx.name(), e);
        }
    }

    private static boolean sameDocuments(byte[] stored, byte[] written) {
        if (Arrays.equals(stored, written)) {
            return true;
        }
        YamlReader.Result old = YamlReader.read("stored", stored);
        YamlReader.Result now = YamlReader.read("written", written);
        if (!old.diagnostics().isEmpty()
                || !now.diagnostics().isEmpty()
                || old.documents().size() != now.documents().size()) {
            return false;
        }
        for (int i = 0; i < old.documents().size(); i++) {
            YamlDocument a = old.documents().get(i);
            YamlDocument b = now.documents().get(i);
            if (!ServerFields.sameContent(a.body(), b.body())) {
                return false;
            }
        }
        return true;
    }
}
