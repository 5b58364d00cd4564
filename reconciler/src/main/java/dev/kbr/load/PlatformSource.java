package dev.kbr.load;

import dev.kbr.model.PlatformOrigin;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The platform repo a pass reads: where it came from and its files. A folder is read as it is on
 * disk; a Git remote was fetched at one commit before the pass (by the CLI's Git adapter) and is
 * read from that commit's tree, never from a checkout. Close it when the pass is done.
 *
 * @param origin the folder, or the remote, ref and commit, for reports and commit messages
 * @param files the repo's files
 */
public record PlatformSource(PlatformOrigin origin, PlatformFiles files) implements AutoCloseable {
    public PlatformSource {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(files, "files");
    }

    /** The platform folder {@code root}. */
    public static PlatformSource folder(Path root) {
        return new PlatformSource(PlatformOrigin.folder(root.toString()), PlatformFiles.folder(root));
    }

    /**
     * Loads the platform ({@link PlatformLoader#load(PlatformFiles)}).
     *
     * @throws IOException when the files cannot be listed or read
     */
    public PlatformLoader.Result load() throws IOException {
        return PlatformLoader.load(files);
    }

    /**
     * What identifies the platform's content, for saved plans: for a Git platform {@code
     * git:<commit>}; for a folder {@code sha256:<hex>} over the sorted relative paths and bytes of
     * every file the loader does not skip as hidden ({@link PlatformLoader}'s rule), YAML or not,
     * so a README edit also makes a saved plan stale: the safe side.
     *
     * @throws IOException when the files cannot be listed or read
     */
    public String fingerprint() throws IOException {
        if (origin.isGit()) {
            return "git:" + origin.commit().orElseThrow();
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
        for (String path : files.list(dir -> !PlatformLoader.hidden(dir))) {
            if (PlatformLoader.hidden(path)) {
                continue;
            }
            byte[] name = path.getBytes(StandardCharsets.UTF_8);
            byte[] content = files.read(path).orElse(new byte[0]);
            // Length prefixes, so that no two different trees hash the same bytes.
            digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(name.length).array());
            digest.update(name);
            digest.update(
                    ByteBuffer.allocate(Integer.BYTES).putInt(content.length).array());
            digest.update(content);
        }
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }

    /** Releases the files (a Git tree's local repository). */
    @Override
    public void close() throws IOException {
        files.close();
    }
}
