package dev.kbr.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The id kbr gives to a file's content, whatever store holds it: 40 lowercase hex digits of the
 * SHA-1 of {@code "blob " + length + "\0"} followed by the bytes.
 *
 * <p>The definition is the one Git uses for a blob on purpose: a Git store's tree lists every
 * file's id without reading it, so a no-op pass over a large store reads no content, and the
 * records written by every earlier kbr release, which hold these ids, stay valid unchanged. A
 * store of another kind (a bucket) computes the id from the bytes it writes or reads. kbr uses the
 * id to tell whether a path already holds the desired content and to find recorded content in a
 * snapshot; it is not a security boundary (nothing is trusted because its id matches).
 */
public final class ContentId {
    private static final Pattern FORM = Pattern.compile("[0-9a-f]{40}");

    /** The id of empty content. */
    public static final String EMPTY = of(new byte[0]);

    private ContentId() {}

    /**
     * The id of {@code content}.
     *
     * @param content the bytes, not modified
     * @return 40 lowercase hex digits
     */
    public static String of(byte[] content) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha1.digest(content));
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-1 (MessageDigest's contract).
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code id} has the form of a content id (not whether any content has it). */
    public static boolean isWellFormed(String id) {
        return FORM.matcher(id).matches();
    }
}
