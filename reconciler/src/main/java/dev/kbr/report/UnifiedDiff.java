package dev.kbr.report;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import dev.kbr.state.FileChange;
import java.util.Arrays;
import java.util.List;

/**
 * The lines a report shows for a modified file: a unified diff (3 lines of context) of what a
 * diff may show of each side (see {@link DiffText}: Secret values redacted unless asked), or one
 * line saying why there is none.
 */
final class UnifiedDiff {
    private UnifiedDiff() {}

    /**
     * @param change the modification
     * @param before the file's bytes before it; null when unknown
     * @param showSecrets true to show Secret values ({@code --show-secrets})
     * @return the lines, without indentation; empty when there is nothing to show (the previous
     *     bytes are unknown, or the new content was not read)
     */
    static List<String> of(FileChange.Modified change, byte[] before, boolean showSecrets) {
        if (before == null || change.content().length == 0) {
            return List.of();
        }
        DiffText.Shown original = DiffText.of(before, showSecrets);
        DiffText.Shown revised = DiffText.of(change.content(), showSecrets);
        if (original instanceof DiffText.Binary || revised instanceof DiffText.Binary) {
            return List.of("binary file: " + before.length + " bytes -> " + change.content().length + " bytes");
        }
        if (original instanceof DiffText.Hidden || revised instanceof DiffText.Hidden) {
            return List.of("diff hidden: the file mentions a Secret but is not YAML kbr can redact;"
                    + " pass --show-secrets to see it");
        }
        List<String> originalLines = lines(((DiffText.Text) original).text());
        List<String> revisedLines = lines(((DiffText.Text) revised).text());
        Patch<String> patch = DiffUtils.diff(originalLines, revisedLines);
        return UnifiedDiffUtils.generateUnifiedDiff(
                "a/" + change.path(), "b/" + change.path(), originalLines, patch, 3);
    }

    /** True when {@code lines} is a diff (not a one-line explanation). */
    static boolean isDiff(List<String> lines) {
        return !lines.isEmpty() && lines.get(0).startsWith("--- ");
    }

    private static List<String> lines(String text) {
        return Arrays.asList(text.split("\n", -1));
    }
}
