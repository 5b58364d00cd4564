package dev.kbr.state.git;

import dev.kbr.state.FileChange;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Pure checks that a change set can be applied to a base tree: well-formed paths and ids, each
 * change consistent with the base (added paths are new, modified and deleted ones exist with the
 * stated old id), and no path that is both a file and a directory afterwards. Every problem is
 * reported, not just the first.
 */
final class ChangeSetCheck {
    /** Longer paths are refused: no Kratix layout comes near it, and Git hosts cap paths too. */
    static final int MAX_PATH_LENGTH = 4096;

    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-f]{40}");

    private ChangeSetCheck() {}

    /**
     * @param base every entry of the base tree: path to object id (hex)
     * @param changes the change set
     * @return one sentence per problem, in change order; empty when the change set applies
     */
    static List<String> problems(Map<String, String> base, List<FileChange> changes) {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        NavigableSet<String> after = new TreeSet<>(base.keySet());
        List<String> added = new ArrayList<>();
        for (FileChange change : changes) {
            String path = change.path();
            String pathProblem = pathProblem(path);
            if (pathProblem != null) {
                problems.add("path `" + path + "` " + pathProblem);
                continue;
            }
            if (!seen.add(path)) {
                problems.add("path `" + path + "` is changed more than once");
                continue;
            }
            String current = base.get(path);
            if (change instanceof FileChange.Added a) {
                checkId(problems, path, "contentId", a.contentId());
                if (current != null) {
                    problems.add("path `" + path + "` is added but already exists in the base (" + current + ")");
                }
                after.add(path);
                added.add(path);
            } else if (change instanceof FileChange.Modified m) {
                checkId(problems, path, "contentId", m.contentId());
                checkOld(problems, path, "modified", m.oldContentId(), current);
            } else if (change instanceof FileChange.Deleted d) {
                checkOld(problems, path, "deleted", d.oldContentId(), current);
                after.remove(path);
            }
        }
        for (String path : added) {
            fileDirectoryProblem(after, path).ifPresent(problems::add);
        }
        return problems;
    }

    /** Why {@code path} is not a clean repo-relative file path, or null when it is. */
    static String pathProblem(String path) {
        if (path.isEmpty()) {
            return "is empty";
        }
        if (path.length() > MAX_PATH_LENGTH) {
            return "is longer than " + MAX_PATH_LENGTH + " characters";
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "contains a control character";
            }
            if (c == '\\') {
                return "contains a backslash (paths are /-separated)";
            }
        }
        if (path.startsWith("/")) {
            return "is absolute (paths are repo-relative)";
        }
        if (path.endsWith("/")) {
            return "ends with /";
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) {
                return "has an empty segment (//)";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "has a `" + segment + "` segment";
            }
            // Git itself refuses such trees; a case-insensitive check also protects checkouts on
            // macOS and Windows.
            if (segment.toLowerCase(Locale.ROOT).equals(".git")) {
                return "has a `.git` segment";
            }
        }
        return null;
    }

    private static void checkId(List<String> problems, String path, String field, String id) {
        if (!OBJECT_ID.matcher(id).matches()) {
            problems.add("path `" + path + "` has " + field + " `" + id + "`, not a 40-digit lowercase hex object id");
        }
    }

    private static void checkOld(List<String> problems, String path, String verb, String oldId, String current) {
        checkId(problems, path, "oldContentId", oldId);
        if (current == null) {
            problems.add("path `" + path + "` is " + verb + " but does not exist in the base");
        } else if (!current.equals(oldId)) {
            problems.add("path `" + path + "` is " + verb + " from " + oldId + " but the base has " + current);
        }
    }

    private static Optional<String> fileDirectoryProblem(NavigableSet<String> after, String path) {
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            String parent = path.substring(0, slash);
            if (after.contains(parent)) {
                return Optional.of("path `" + path + "` is added under `" + parent + "`, which stays a file");
            }
        }
        String under = after.ceiling(path + "/");
        if (under != null && under.startsWith(path + "/")) {
            return Optional.of("path `" + path + "` is added as a file but `" + under + "` keeps it a directory");
        }
        return Optional.empty();
    }
}
