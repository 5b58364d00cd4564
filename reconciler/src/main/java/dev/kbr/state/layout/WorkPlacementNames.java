package dev.kbr.state.layout;

import dev.kbr.model.WorkId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The names Kratix gives a Work and its WorkPlacements, which show up in the state store as
 * {@code .kratix/<namespace>-<workPlacement>.yaml} files ({@code none} mode) and decide the order
 * of an {@code aggregatedYAML} file.
 *
 * <p>Kratix names a Work {@code GenerateObjectName(<promise>[-<resource>]-<pipeline>)} ({@code
 * work-creator/lib/work_creator.go}, {@code lib/objectutil/name.go}): a base longer than 57
 * characters is cut to its first 56, trailing characters that are not ASCII letters or digits are
 * dropped, then {@code -} and five random characters are appended. Static dependencies use the
 * base {@code <promise>-static-deps}. A WorkPlacement is named {@code
 * <work>.<destination>-<id5>} ({@code internal/controller/scheduler.go}).
 *
 * <p>Deliberate difference: kbr has no API server to remember a random suffix, and the same
 * inputs must give the same tree. The five characters are the first five hex digits of the MD5
 * of the Work's identity (type, Promise, namespace, request, pipeline), so names are stable
 * across passes and two Works whose bases coincide after truncation still differ.
 */
public final class WorkPlacementNames {
    /** Namespace of promise-level Works and their WorkPlacements ({@code api/v1alpha1/const.go}). */
    public static final String SYSTEM_NAMESPACE = "kratix-platform-system";

    // Kratix: 63 (Kubernetes name limit) - 1 (separator) - 5 (suffix).
    private static final int MAX_BASE_LENGTH = 63 - 1 - 5;

    private WorkPlacementNames() {}

    /** The Work's name, e.g. {@code redis-example-instance-configure-3f2a1}. */
    public static String workName(WorkId work) {
        return shorten(base(work)) + "-" + suffix(work);
    }

    /** The namespace of the Work and its WorkPlacements: the request's, else Kratix's system namespace. */
    public static String namespace(WorkId work) {
        return work.type().isDependency() ? SYSTEM_NAMESPACE : work.namespace();
    }

    /**
     * The WorkPlacement's name.
     *
     * @param work the Work
     * @param destination the Destination name
     * @param groupId the workload group id (its first five characters are used)
     */
    public static String workPlacementName(WorkId work, String destination, String groupId) {
        return workName(work) + "." + destination + "-" + groupId.substring(0, Math.min(5, groupId.length()));
    }

    private static String base(WorkId work) {
        return switch (work.type()) {
            case STATIC_DEPENDENCY -> work.promise() + "-static-deps";
            case PROMISE -> work.promise() + "-" + work.pipeline();
            case RESOURCE -> work.promise() + "-" + work.name() + "-" + work.pipeline();
        };
    }

    /** Kratix's {@code processName}: cut long names, then drop trailing non-alphanumerics. */
    static String shorten(String base) {
        String name = base.length() > MAX_BASE_LENGTH ? base.substring(0, MAX_BASE_LENGTH - 1) : base;
        int end = name.length();
        while (end > 0 && !isAsciiAlphanumeric(name.charAt(end - 1))) {
            end--;
        }
        return name.substring(0, end);
    }

    private static boolean isAsciiAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static String suffix(WorkId work) {
        String identity = String.join(
                "\u0000", work.type().name(), work.promise(), work.namespace(), work.name(), work.pipeline());
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks MD5", e);
        }
    }
}
