package dev.kbr.model;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Lines of the fields of one YAML document, so diagnostics about a field can name its line.
 *
 * <p>Keys are YAML paths as reports print them: {@code spec.size}, {@code spec.items[0].name};
 * the empty path is the document itself.
 *
 * @param lines YAML path to 1-based line
 */
public record LineMap(Map<String, Integer> lines) {
    public LineMap {
        lines = Collections.unmodifiableMap(new TreeMap<>(lines));
    }

    public static LineMap empty() {
        return new LineMap(Map.of());
    }

    /**
     * The line of {@code path}, or of its nearest ancestor that has one (a missing field is
     * reported at its parent), or 0 when nothing is known.
     */
    public int lineOf(String path) {
        Objects.requireNonNull(path, "path");
        String p = path;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            if (p.isEmpty()) {
                return 0;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
    }
}
