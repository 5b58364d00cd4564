package dev.kbr.state.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;

/**
 * Edits a Git tree by path without reading the whole tree: only the directories on the way to a
 * changed path are read, and only those are written again. A change to one file in a tree of
 * 50,000 reads and writes a handful of trees instead of every one.
 *
 * <p>One instance serves one commit: it remembers the trees it has parsed, so {@link
 * #relevantBase} and {@link #apply} parse each of them once.
 */
final class TreeEdit {
    private final ObjectReader reader;
    private final ObjectId baseTree;
    private final Map<ObjectId, TreeMap<String, Entry>> parsed = new HashMap<>();

    /**
     * @param reader reads the base tree's objects
     * @param baseTree the tree to edit; {@link Constants#EMPTY_TREE_ID} for none
     */
    TreeEdit(ObjectReader reader, ObjectId baseTree) {
        this.reader = reader;
        this.baseTree = baseTree;
    }

    /** One entry of a tree: its mode and object id. */
    record Entry(FileMode mode, ObjectId id) {
        boolean isTree() {
            return mode.getObjectType() == Constants.OBJ_TREE;
        }

        boolean isFile() {
            return mode.getObjectType() == Constants.OBJ_BLOB;
        }
    }

    /**
     * The part of the base tree that decides whether changes to {@code paths} fit it: each path's
     * own file, any ancestor of it that is a file, and every file under a path that is a
     * directory. Given to {@link ChangeSetCheck#problems}, it gives the same verdict as the whole
     * tree would.
     *
     * @param paths well-formed repo-relative paths
     * @return path to blob id (hex) of those files
     */
    Map<String, String> relevantBase(Iterable<String> paths) throws IOException {
        Map<String, String> relevant = new HashMap<>();
        for (String path : paths) {
            ObjectId directory = baseTree;
            int start = 0;
            while (true) {
                int slash = path.indexOf('/', start);
                String name = slash < 0 ? path.substring(start) : path.substring(start, slash);
                Entry entry = entries(directory).get(name);
                String here = slash < 0 ? path : path.substring(0, slash);
                if (entry == null) {
                    break;
                }
                if (!entry.isTree()) {
                    if (entry.isFile()) {
                        relevant.put(here, entry.id().name());
                    }
                    break;
                }
                if (slash < 0) {
                    filesUnder(here, entry.id(), relevant);
                    break;
                }
                directory = entry.id();
                start = slash + 1;
            }
        }
        return relevant;
    }

    /**
     * Writes the edited tree: files set to a blob (mode 100644) or removed. A directory left
     * without entries disappears. Entries not named keep their mode and id.
     *
     * @param edits path to the new blob id, or to null to delete the file; must fit the base (see
     *     {@link ChangeSetCheck})
     * @param inserter where new trees are written
     * @return the id of the new root tree
     */
    ObjectId apply(Map<String, ObjectId> edits, ObjectInserter inserter) throws IOException {
        List<Edit> list = new ArrayList<>(edits.size());
        edits.forEach((path, blob) -> list.add(new Edit(path, blob)));
        ObjectId root = write(baseTree, list, 0, inserter);
        return root == null ? inserter.insert(new TreeFormatter()) : root;
    }

    private record Edit(String path, ObjectId blob) {}

    // Returns null when the directory ends up empty, and base itself when nothing in it changed.
    private ObjectId write(ObjectId base, List<Edit> edits, int offset, ObjectInserter inserter) throws IOException {
        TreeMap<String, Entry> entries = base == null ? new TreeMap<>() : new TreeMap<>(entries(base));
        Map<String, List<Edit>> below = new TreeMap<>();
        Map<String, Edit> here = new TreeMap<>();
        for (Edit edit : edits) {
            int slash = edit.path().indexOf('/', offset);
            if (slash < 0) {
                here.put(edit.path().substring(offset), edit);
            } else {
                below.computeIfAbsent(edit.path().substring(offset, slash), k -> new ArrayList<>())
                        .add(edit);
            }
        }
        boolean changed = false;
        // Deletions first, so a file replaced by a directory of the same name makes room for it.
        for (Map.Entry<String, Edit> file : here.entrySet()) {
            if (file.getValue().blob() == null) {
                changed |= entries.remove(file.getKey()) != null;
            }
        }
        for (Map.Entry<String, List<Edit>> sub : below.entrySet()) {
            String name = sub.getKey();
            Entry current = entries.get(name);
            ObjectId subBase = current != null && current.isTree() ? current.id() : null;
            ObjectId written = write(subBase, sub.getValue(), offset + name.length() + 1, inserter);
            if (written == null) {
                changed |= entries.remove(name) != null;
            } else if (!written.equals(subBase)) {
                entries.put(name, new Entry(FileMode.TREE, written));
                changed = true;
            }
        }
        for (Map.Entry<String, Edit> file : here.entrySet()) {
            ObjectId blob = file.getValue().blob();
            if (blob != null) {
                Entry next = new Entry(FileMode.REGULAR_FILE, blob);
                changed |= !next.equals(entries.put(file.getKey(), next));
            }
        }
        if (entries.isEmpty()) {
            return null;
        }
        if (!changed && base != null) {
            return base;
        }
        List<Named> sorted = new ArrayList<>(entries.size());
        entries.forEach((name, entry) -> sorted.add(new Named(name.getBytes(StandardCharsets.UTF_8), entry)));
        sorted.sort(TreeEdit::gitOrder);
        TreeFormatter formatter = new TreeFormatter();
        for (Named named : sorted) {
            formatter.append(named.name(), named.entry().mode(), named.entry().id());
        }
        return inserter.insert(formatter);
    }

    private record Named(byte[] name, Entry entry) {}

    // Git sorts tree entries by name bytes, a directory as if its name ended in '/'.
    private static int gitOrder(Named a, Named b) {
        byte[] x = a.name();
        byte[] y = b.name();
        int length = Math.min(x.length, y.length);
        for (int i = 0; i < length; i++) {
            int cmp = Byte.toUnsignedInt(x[i]) - Byte.toUnsignedInt(y[i]);
            if (cmp != 0) {
                return cmp;
            }
        }
        int lastX =
                x.length > length ? Byte.toUnsignedInt(x[length]) : a.entry().isTree() ? '/' : 0;
        int lastY =
                y.length > length ? Byte.toUnsignedInt(y[length]) : b.entry().isTree() ? '/' : 0;
        return lastX - lastY;
    }

    private void filesUnder(String path, ObjectId tree, Map<String, String> out) throws IOException {
        for (Map.Entry<String, Entry> entry : entries(tree).entrySet()) {
            String child = path + "/" + entry.getKey();
            if (entry.getValue().isTree()) {
                filesUnder(child, entry.getValue().id(), out);
            } else if (entry.getValue().isFile()) {
                out.put(child, entry.getValue().id().name());
            }
        }
    }

    // Trees are named by their content, so a parsed tree is valid wherever its id appears.
    private TreeMap<String, Entry> entries(ObjectId tree) throws IOException {
        TreeMap<String, Entry> known = parsed.get(tree);
        if (known != null) {
            return known;
        }
        TreeMap<String, Entry> entries = new TreeMap<>();
        if (!tree.equals(Constants.EMPTY_TREE_ID)) {
            CanonicalTreeParser parser = new CanonicalTreeParser();
            parser.reset(reader, tree);
            for (; !parser.eof(); parser.next()) {
                entries.put(
                        parser.getEntryPathString(), new Entry(parser.getEntryFileMode(), parser.getEntryObjectId()));
            }
        }
        parsed.put(tree.copy(), entries);
        return entries;
    }
}
