package dev.kbr.state.layout;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The order of the workloads in a Kratix Work: its work-writer walks {@code /kratix/output} depth
 * first, each folder's entries sorted by name as Go's {@code os.ReadDir} sorts them (by bytes)
 * ({@code getWorkloadsFromDir} in {@code work-creator/lib/work_creator.go}). This differs from a
 * plain sort of whole paths: {@code a/x.yaml} comes before {@code a-b.yaml}.
 */
public final class WorkloadOrder {
    /** Compares {@code /}-separated paths relative to {@code /kratix/output} in Kratix's order. */
    public static final Comparator<String> PATHS = WorkloadOrder::compare;

    private WorkloadOrder() {}

    private static int compare(String a, String b) {
        String[] as = a.split("/", -1);
        String[] bs = b.split("/", -1);
        for (int i = 0; i < Math.min(as.length, bs.length); i++) {
            int c = Arrays.compareUnsigned(
                    as[i].getBytes(StandardCharsets.UTF_8), bs[i].getBytes(StandardCharsets.UTF_8));
            if (c != 0) {
                return c;
            }
        }
        // Only reached when one path is a folder prefix of the other, which a tree of files rules out.
        return Integer.compare(as.length, bs.length);
    }
}
