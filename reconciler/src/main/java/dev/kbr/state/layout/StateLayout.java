package dev.kbr.state.layout;

import dev.kbr.model.Destination;
import dev.kbr.model.FilepathMode;
import dev.kbr.model.WorkId;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Paths in a state store, as Kratix lays them out ({@code getDir()} and {@code
 * kratixStateFilePath()} in {@code internal/controller/workplacement_controller.go}, {@code
 * getCanaryWorkloads()} in {@code destination_controller.go}). Every path starts with the state
 * store's {@code spec.path} and then the Destination's {@code spec.path}, written {@code D} below.
 *
 * <ul>
 *   <li>{@code nestedByMetadata}: dependencies at {@code D/dependencies/<promise>/<pipeline>/<id5>/<file>}
 *       (no pipeline segment for static dependencies), resources at {@code
 *       D/resources/<namespace>/<promise>/<name>/<pipeline>/<id5>/<file>}, canaries at {@code
 *       D/dependencies/kratix-canary-namespace.yaml} and {@code D/resources/kratix-canary-configmap.yaml};
 *   <li>{@code none}: {@code D/<file>}, state files at {@code D/.kratix/<namespace>-<workPlacement>.yaml},
 *       canaries directly in {@code D/};
 *   <li>{@code aggregatedYAML}: {@code D/<filename>}, canaries directly in {@code D/}.
 * </ul>
 */
public final class StateLayout {
    private StateLayout() {}

    /** Folder of kbr's records inside a state store's path. */
    public static final String RECORDS_DIR = ".kbr";

    static final String CANARY_NAMESPACE = "apiVersion: v1\n"
            + "kind: Namespace\n"
            + "metadata:\n"
            + "  creationTimestamp: null\n"
            + "  name: kratix-worker-system\n"
            + "spec: {}\n"
            + "status: {}\n";

    static final String CANARY_CONFIGMAP = "apiVersion: v1\n"
            + "data:\n"
            + "  canary: this confirms your infrastructure is reading from Kratix state stores\n"
            + "kind: ConfigMap\n"
            + "metadata:\n"
            + "  creationTimestamp: null\n"
            + "  name: kratix-info\n"
            + "  namespace: kratix-worker-system\n";

    /**
     * The repo path of one workload of a placed group.
     *
     * @param storePath the state store's {@code spec.path}, cleaned ({@code ""} for the root)
     * @param destination the Destination
     * @param work the Work the file belongs to
     * @param shortGroupId first five hex characters of the group id
     * @param filepath the file's path relative to {@code /kratix/output}
     * @throws IllegalArgumentException in {@code aggregatedYAML} mode, where workloads have no
     *     file of their own
     */
    public static String filePath(
            String storePath, Destination destination, WorkId work, String shortGroupId, String filepath) {
        StringBuilder path = new StringBuilder(destinationRoot(storePath, destination));
        switch (destination.filepathMode()) {
            case NONE -> {
                return path.append(filepath).toString();
            }
            case AGGREGATED_YAML ->
                throw new IllegalArgumentException("Destination " + destination.name()
                        + " uses filepath mode aggregatedYAML: every workload goes into "
                        + aggregatedFilePath(storePath, destination));
            case NESTED_BY_METADATA -> {
                // the path is built below
            }
        }
        return path.append(workFolderWithin(work, shortGroupId))
                .append(filepath)
                .toString();
    }

    /**
     * The folder a WorkPlacement owns on a {@code nestedByMetadata} Destination: {@code
     * D/dependencies/<promise>/<pipeline>/<id5>/} or {@code
     * D/resources/<namespace>/<promise>/<request>/<pipeline>/<id5>/}, ending in {@code /}. Kratix
     * replaces it as a whole on every write of the WorkPlacement ({@code lib/writers/git.go}
     * removes the folder before writing the current files; {@code lib/writers/s3.go} deletes the
     * objects under it that were not written).
     *
     * @return empty in the other modes, where a WorkPlacement's files share a folder with others'
     */
    public static Optional<String> workFolder(
            String storePath, Destination destination, WorkId work, String shortGroupId) {
        return destination.filepathMode() == FilepathMode.NESTED_BY_METADATA
                ? Optional.of(destinationRoot(storePath, destination) + workFolderWithin(work, shortGroupId))
                : Optional.empty();
    }

    private static String workFolderWithin(WorkId work, String shortGroupId) {
        StringBuilder path = new StringBuilder();
        if (work.type().isDependency()) {
            path.append("dependencies/").append(work.promise()).append('/');
        } else {
            path.append("resources/")
                    .append(work.namespace())
                    .append('/')
                    .append(work.promise())
                    .append('/')
                    .append(work.name())
                    .append('/');
        }
        if (!work.pipeline().isEmpty()) {
            path.append(work.pipeline()).append('/');
        }
        return path.append(shortGroupId).append('/').toString();
    }

    /**
     * The {@code none} mode state file of a WorkPlacement: {@code D/.kratix/<namespace>-<workPlacement>.yaml}.
     *
     * @param groupId the workload group id
     */
    public static String kratixStateFilePath(String storePath, Destination destination, WorkId work, String groupId) {
        return destinationRoot(storePath, destination) + ".kratix/" + WorkPlacementNames.namespace(work) + "-"
                + WorkPlacementNames.workPlacementName(work, destination.name(), groupId) + ".yaml";
    }

    /** The {@code aggregatedYAML} file: {@code D/<spec.filepath.filename>}. */
    public static String aggregatedFilePath(String storePath, Destination destination) {
        return destinationRoot(storePath, destination) + destination.aggregatedFilename();
    }

    /**
     * The canary files Kratix writes for a Destination with {@code initWorkloads.enabled}
     * ({@code internal/controller/destination_controller.go}), by repo path; empty when it is off.
     */
    public static SortedMap<String, byte[]> canaryFiles(String storePath, Destination destination) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        if (!destination.initWorkloads()) {
            return files;
        }
        String root = destinationRoot(storePath, destination);
        boolean nested = destination.filepathMode() == FilepathMode.NESTED_BY_METADATA;
        files.put(
                root + (nested ? "dependencies/" : "") + "kratix-canary-namespace.yaml",
                CANARY_NAMESPACE.getBytes(StandardCharsets.UTF_8));
        files.put(
                root + (nested ? "resources/" : "") + "kratix-canary-configmap.yaml",
                CANARY_CONFIGMAP.getBytes(StandardCharsets.UTF_8));
        return files;
    }

    /** {@code <store>/<dest>/}, or {@code ""} when both are the root. */
    public static String destinationRoot(String storePath, Destination destination) {
        return destinationRoot(storePath, destination.path());
    }

    /**
     * {@code <store>/<destinationPath>/}, or {@code ""} when both are the root.
     *
     * @param destinationPath a Destination's cleaned {@code spec.path}
     */
    public static String destinationRoot(String storePath, String destinationPath) {
        return join(storePath, destinationPath);
    }

    /** The folder of kbr's records: {@code <store>/.kbr/}. */
    public static String recordsRoot(String storePath) {
        return join(storePath, RECORDS_DIR);
    }

    private static String join(String a, String b) {
        StringBuilder s = new StringBuilder();
        if (!a.isEmpty()) {
            s.append(a).append('/');
        }
        if (!b.isEmpty()) {
            s.append(b).append('/');
        }
        return s.toString();
    }
}
