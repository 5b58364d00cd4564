package dev.kbr.state.layout;

import dev.kbr.model.Destination;
import dev.kbr.state.DesiredFile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Renders everything Kratix would have in a Destination's folder, for each {@code
 * spec.filepath.mode} ({@code internal/controller/workplacement_controller.go}, {@code
 * destination_controller.go}):
 *
 * <ul>
 *   <li>{@code nestedByMetadata}: each group under its own folder ({@link StateLayout#filePath});
 *   <li>{@code none}: each workload at {@code D/<filepath>}, plus one {@code
 *       D/.kratix/<namespace>-<workPlacement>.yaml} per group listing what it wrote ({@link
 *       KratixStateFile}); two groups writing one path is a problem, not a silent overwrite;
 *   <li>{@code aggregatedYAML}: one file {@code D/<filename>} with every workload of every group,
 *       groups sorted by WorkPlacement name, workloads in Work order, joined by {@code \n---\n};
 *       no file when nothing is placed;
 * </ul>
 *
 * plus the canary files when {@code initWorkloads} is on.
 */
public final class DestinationLayout {
    private static final byte[] SEPARATOR = "\n---\n".getBytes(StandardCharsets.UTF_8);

    private DestinationLayout() {}

    /**
     * @param storePath the state store's {@code spec.path}, cleaned ({@code ""} for the root)
     * @param destination the Destination
     * @param groups the groups placed on it; in {@code aggregatedYAML} mode every workload must
     *     carry its bytes
     * @return the files, and any problem that forbids writing them
     */
    public static DestinationFiles render(String storePath, Destination destination, List<PlacedGroup> groups) {
        List<SortedMap<String, DesiredFile>> groupFiles = new ArrayList<>();
        SortedMap<String, DesiredFile> aggregate = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        Owners owners = new Owners(problems);
        SortedMap<String, DesiredFile> canaries = new TreeMap<>();
        StateLayout.canaryFiles(storePath, destination)
                .forEach((path, bytes) -> canaries.put(path, new DesiredFile.Bytes(bytes)));
        canaries.keySet().forEach(path -> owners.claim(path, "the canary files of Destination " + destination.name()));
        switch (destination.filepathMode()) {
            case NESTED_BY_METADATA -> groups.forEach(g -> groupFiles.add(nested(storePath, destination, g, owners)));
            case NONE -> groups.forEach(g -> groupFiles.add(flat(storePath, destination, g, owners)));
            case AGGREGATED_YAML -> {
                groups.forEach(g -> groupFiles.add(new TreeMap<>()));
                aggregated(storePath, destination, groups, problems).ifPresent(bytes -> {
                    String path = StateLayout.aggregatedFilePath(storePath, destination);
                    owners.claim(path, "the aggregated file of Destination " + destination.name());
                    aggregate.put(path, new DesiredFile.Bytes(bytes));
                });
            }
        }
        owners.checkFilesAreNotFolders();
        return new DestinationFiles(groupFiles, canaries, aggregate, problems);
    }

    private static SortedMap<String, DesiredFile> nested(
            String storePath, Destination destination, PlacedGroup group, Owners owners) {
        SortedMap<String, DesiredFile> files = new TreeMap<>();
        for (Workload w : group.workloads()) {
            String path = StateLayout.filePath(storePath, destination, group.work(), group.shortId(), w.filepath());
            owners.claim(path, describe(group, destination));
            files.put(path, w.content());
        }
        return files;
    }

    private static SortedMap<String, DesiredFile> flat(
            String storePath, Destination destination, PlacedGroup group, Owners owners) {
        SortedMap<String, DesiredFile> files = new TreeMap<>();
        List<String> listed = new ArrayList<>();
        for (Workload w : group.workloads()) {
            String path = StateLayout.filePath(storePath, destination, group.work(), group.shortId(), w.filepath());
            owners.claim(path, describe(group, destination));
            files.put(path, w.content());
            // Kratix lists filepath.Join(<destination path>/, filepath): relative to the store's path.
            listed.add(destination.path().isEmpty() ? w.filepath() : destination.path() + "/" + w.filepath());
        }
        String stateFile = StateLayout.kratixStateFilePath(storePath, destination, group.work(), group.groupId());
        owners.claim(stateFile, describe(group, destination));
        files.put(stateFile, new DesiredFile.Bytes(KratixStateFile.write(listed)));
        return files;
    }

    private static java.util.Optional<byte[]> aggregated(
            String storePath, Destination destination, List<PlacedGroup> groups, List<String> problems) {
        if (groups.isEmpty()) {
            return Optional.empty();
        }
        String filename = destination.aggregatedFilename();
        if (filename.startsWith("/")
                || List.of(filename.split("/", -1)).stream()
                        .anyMatch(s -> s.isEmpty() || s.equals("..") || s.equals("."))) {
            problems.add("Destination " + destination.name() + " has spec.filepath.filename \"" + filename
                    + "\", which is not a clean path inside its folder; use a plain file name such as aggregated.yaml");
            return Optional.empty();
        }
        List<PlacedGroup> ordered = groups.stream()
                .sorted(Comparator.comparing((PlacedGroup g) -> g.workPlacementName(destination.name())))
                .toList();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean first = true;
        for (PlacedGroup group : ordered) {
            for (Workload w : group.workloads()) {
                if (!(w.content() instanceof DesiredFile.Bytes bytes)) {
                    problems.add("cannot rebuild " + StateLayout.aggregatedFilePath(storePath, destination) + ": "
                            + describe(group, destination) + " kept " + w.filepath()
                            + " from an earlier pass without its content");
                    return Optional.empty();
                }
                if (!first) {
                    out.writeBytes(SEPARATOR);
                }
                first = false;
                out.writeBytes(bytes.content());
            }
        }
        return Optional.of(out.toByteArray());
    }

    private static String describe(PlacedGroup group, Destination destination) {
        return "WorkPlacement " + WorkPlacementNames.namespace(group.work()) + "/"
                + group.workPlacementName(destination.name()) + " (" + group.work() + ")";
    }

    /** Who writes each path; a second writer is a problem (Flux would apply only one of them). */
    private static final class Owners {
        private final Map<String, String> owners = new HashMap<>();
        private final List<String> problems;

        Owners(List<String> problems) {
            this.problems = problems;
        }

        void claim(String path, String owner) {
            String previous = owners.putIfAbsent(path, owner);
            if (previous != null) {
                problems.add(path + " is written by both " + previous + " and " + owner
                        + "; make the pipelines write different paths (or use another filepath mode)");
            }
        }

        void checkFilesAreNotFolders() {
            for (String path : new TreeMap<>(owners).keySet()) {
                for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
                    String folder = path.substring(0, slash);
                    if (owners.containsKey(folder)) {
                        problems.add(folder + " is written as a file by " + owners.get(folder) + " but is a folder of "
                                + path + " written by " + owners.get(path));
                    }
                }
            }
        }
    }
}
