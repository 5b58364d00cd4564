package dev.kbr.model;

import java.util.Arrays;

/**
 * One file of a resolved Secret, ConfigMap or projected volume. Its {@link #toString()} never
 * shows the content, which may be a Secret's.
 *
 * @param content the bytes
 * @param mode permission bits, e.g. {@code 0644}
 * @param secret whether the content comes from a Secret (then it must never be shown)
 */
public record VolumeFile(byte[] content, int mode, boolean secret) {
    public VolumeFile {
        content = content.clone();
        if (mode < 0 || mode > 0777) {
            throw new IllegalArgumentException("mode must be between 0 and 0777: " + Integer.toOctalString(mode));
        }
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VolumeFile that
                && mode == that.mode
                && secret == that.secret
                && Arrays.equals(content, that.content);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(content) + mode) + Boolean.hashCode(secret);
    }

    @Override
    public String toString() {
        return "VolumeFile[" + content.length + " bytes, mode " + String.format("%04o", mode)
                + (secret ? ", from a Secret" : "") + "]";
    }
}
