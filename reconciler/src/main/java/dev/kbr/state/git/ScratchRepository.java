package dev.kbr.state.git;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The private bare repository of one store in its scratch directory, and the rules for reusing
 * it as a cache: a repository is reused only when it opens cleanly, has kbr's layout version and
 * was made for the same remote (compared by a hash of the URL without user and password, so no
 * secret is written). Anything else is deleted and made anew. A kept directory is locked while a
 * store uses it, so two runs never share one.
 */
final class ScratchRepository implements AutoCloseable {
    static final String DIRECTORY = "store.git";
    static final String LOCK_FILE = "kbr.lock";

    /** Bumped when what kbr keeps in the repository changes; an older cache is started over. */
    static final int LAYOUT = 1;

    static final String SECTION = "kbr";
    static final String KEY_REMOTE = "remote";
    static final String KEY_LAYOUT = "layout";

    private final Path gitDir;
    private final String remoteId;
    private final FileChannel lockChannel;
    // Held, not read: the lock lasts as long as the channel is open.
    @SuppressWarnings("unused")
    private final FileLock lock;

    private Repository repo;
    private boolean reused;

    private ScratchRepository(Path gitDir, String remoteId, FileChannel lockChannel, FileLock lock) {
        this.gitDir = gitDir;
        this.remoteId = remoteId;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens the repository in {@code scratch}, reusing what an earlier run left when it fits.
     *
     * @param scratch an existing directory
     * @param remote the store's remote
     * @param keep whether the directory outlives the store; only then is it locked
     * @return the repository, or empty when another store or process holds the directory's lock
     * @throws IOException when no repository can be made there
     */
    static Optional<ScratchRepository> open(Path scratch, URIish remote, boolean keep) throws IOException {
        FileChannel channel = null;
        FileLock lock = null;
        if (keep) {
            channel = FileChannel.open(scratch.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
        }
        ScratchRepository local = new ScratchRepository(scratch.resolve(DIRECTORY), remoteId(remote), channel, lock);
        try {
            local.repo = local.reuse().orElse(null);
            local.reused = local.repo != null;
            if (local.repo == null) {
                local.repo = local.create();
            }
            return Optional.of(local);
        } catch (IOException | RuntimeException e) {
            local.close();
            throw e;
        }
    }

    /** The repository; another instance after {@link #reset()}. */
    Repository repository() {
        return repo;
    }

    /** Whether the repository was left by an earlier store and reused. */
    boolean reused() {
        return reused;
    }

    /** How many pack files the repository holds; each commit and each fetch adds one. */
    int packCount() throws IOException {
        Path packs = gitDir.resolve("objects").resolve("pack");
        if (!Files.isDirectory(packs)) {
            return 0;
        }
        try (var files = Files.list(packs)) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(".pack"))
                    .count();
        }
    }

    /** Deletes the repository and makes an empty one in its place. */
    void reset() throws IOException {
        repo.close();
        deleteRecursively(gitDir);
        repo = create();
        reused = false;
    }

    /** Closes the repository and releases the lock; leaves the files. */
    @Override
    public void close() throws IOException {
        if (repo != null) {
            repo.close();
        }
        if (lockChannel != null) {
            // Closing the channel releases the lock.
            lockChannel.close();
        }
    }

    private Optional<Repository> reuse() throws IOException {
        if (!Files.isDirectory(gitDir)) {
            deleteRecursively(gitDir);
            return Optional.empty();
        }
        Repository existing = null;
        try {
            existing = new FileRepositoryBuilder()
                    .setGitDir(gitDir.toFile())
                    .setBare()
                    .setMustExist(true)
                    .build();
            StoredConfig config = existing.getConfig();
            if (existing.getObjectDatabase().exists()
                    && remoteId.equals(config.getString(SECTION, null, KEY_REMOTE))
                    && config.getInt(SECTION, KEY_LAYOUT, 0) == LAYOUT) {
                // Reading the refs once proves they parse; a broken packed-refs would fail here.
                existing.getRefDatabase().getRefs();
                return Optional.of(existing);
            }
        } catch (IOException | RuntimeException e) {
            // Not a repository kbr can use: start over below.
        }
        if (existing != null) {
            existing.close();
        }
        deleteRecursively(gitDir);
        return Optional.empty();
    }

    private Repository create() throws IOException {
        Repository created =
                new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setBare().build();
        try {
            created.create(true);
            StoredConfig config = created.getConfig();
            // JGit runs an automatic gc after fetches, detached in the background: it would
            // rewrite packs while we read them and race with deleting the scratch directory.
            config.setBoolean(ConfigConstants.CONFIG_FETCH_SECTION, null, ConfigConstants.CONFIG_KEY_AUTOGC, false);
            config.setInt(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTO, 0);
            config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH, false);
            config.setString(SECTION, null, KEY_REMOTE, remoteId);
            config.setInt(SECTION, null, KEY_LAYOUT, LAYOUT);
            config.save();
            return created;
        } catch (IOException | RuntimeException e) {
            created.close();
            throw e;
        }
    }

    /** SHA-256 (hex) of the remote URL without user and password. */
    static String remoteId(URIish remote) {
        String url = remote.setUser(null).setPass(null).toString();
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(url.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * The files of {@code commit}'s tree, read from the repository's objects (no checkout): each
     * path whose mode {@code keep} accepts, mapped by {@code id} from its blob id, sorted by path.
     *
     * @throws IOException when the commit or one of its trees cannot be read
     */
    static <T> SortedMap<String, T> files(
            Repository repo, ObjectId commit, Predicate<FileMode> keep, Function<ObjectId, T> id) throws IOException {
        SortedMap<String, T> files = new TreeMap<>();
        try (ObjectReader reader = repo.newObjectReader();
                RevWalk walk = new RevWalk(reader);
                TreeWalk tree = new TreeWalk(reader)) {
            tree.addTree(walk.parseCommit(commit).getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                if (keep.test(tree.getFileMode(0))) {
                    files.put(tree.getPathString(), id.apply(tree.getObjectId(0)));
                }
            }
        }
        return files;
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(root);
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
