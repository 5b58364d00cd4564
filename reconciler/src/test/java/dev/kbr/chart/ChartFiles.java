package dev.kbr.chart;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where the chart under test lives. */
final class ChartFiles {
    private ChartFiles() {}

    /**
     * The chart folder: {@code charts/kbr} in the first of {@code kbr.repo.root} (set by the POM),
     * the working folder, or one of their parents that holds it, so the test runs from the module,
     * the project root or an IDE.
     */
    static Path chart() {
        List<Path> starts = new ArrayList<>();
        String root = System.getProperty("kbr.repo.root");
        if (root != null) {
            starts.add(Path.of(root));
        }
        starts.add(Path.of(""));
        for (Path start : starts) {
            for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
                Path chart = dir.resolve("charts/kbr");
                if (Files.isRegularFile(chart.resolve("Chart.yaml"))) {
                    return chart;
                }
            }
        }
        throw new IllegalStateException("charts/kbr/Chart.yaml not found above " + starts);
    }
}
