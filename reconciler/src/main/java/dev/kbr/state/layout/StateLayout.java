package dev.kbr.state.layout;

import dev.kbr.model.Destination;
import dev.kbr.model.FilepathMode;
import dev.kbr.model.WorkId;
import java.nio.charset.StandardCharsets;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Paths in a state store, Kratix's {@code nestedByMetadata} layout ({@code getDir()} in {@code
 * internal/controller/workplacement_controller.go}):
 *
 * <ul>
 *   <li>dependencies: {@code <store>/<dest>/dependencies/<promise>/<pipeline>/<id5>/<file>}; the
 *       pipeline segment is absent for static dependencies;
 *   <li>resources: {@code <store>/<dest>/resources/<namespace>/<promise>/<name>/<pipeline>/<id5>/<file>};
 *   <li>canaries: {@code <dest>/dependencies/kratix-canary-namespace.yaml} and {@code
 *       <dest>/resources/kratix-canary-configmap.yaml}.
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
     * The repo path of one file of a placed group.
     *
     * @param storePath the state store's {@code spec.path}, cleaned ({@code ""} for the root)
     * @param destination the Destination
     * @param work the Work the file belongs to
     * @param shortGroupId first five hex characters of the group id
     * @param filepath the file's path relative to {@code /kratix/output}
     * @throws IllegalArgumentException for a filepath mode kbr does not write yet
     */
    public static String filePath(
            String storePath, Destination destination, WorkId work, String shortGroupId, String filepath) {
        if (destination.filepathMode() != FilepathMode.NESTED_BY_METADATA) {
            throw new IllegalArgumentException("Destination " + destination.name() + " uses filepath mode "
                    + destination.filepathMode().value() + ", which kbr does not write yet; use nestedByMetadata");
        }
        StringBuilder path = new StringBuilder(destinationRoot(storePath, destination));
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
        return path.append(shortGroupId).append('/').append(filepath).toString();
    }

    /**
     * The canary files Kratix writes for a Destination with {@code initWorkloads.enabled}
     * ({@code internal/controller/destination_controller.go}), by repo path.
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
        return join(storePath, destination.path());
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
