package dev.kbr.pipeline;

import java.nio.charset.StandardCharsets;

/**
 * The last {@code capacity} bytes of a log stream, so a container printing without end cannot
 * exhaust memory while the end of its log, where failures show, is kept. Shared by the runners.
 * Not thread-safe.
 */
public final class LogTail {
    private final byte[] ring;
    private long total;

    /**
     * @param capacity how many bytes to keep, at least 0
     */
    public LogTail(int capacity) {
        ring = new byte[capacity];
    }

    /** Adds bytes at the end of the log. */
    public void append(byte[] bytes) {
        if (ring.length == 0) {
            total += bytes.length;
            return;
        }
        int start = Math.max(0, bytes.length - ring.length);
        for (int i = start; i < bytes.length; i++) {
            ring[(int) ((total + i) % ring.length)] = bytes[i];
        }
        total += bytes.length;
    }

    /** The kept bytes as UTF-8 text, prefixed by a note when earlier bytes were dropped. */
    public String text() {
        if (total <= ring.length) {
            return new String(ring, 0, (int) total, StandardCharsets.UTF_8);
        }
        byte[] ordered = new byte[ring.length];
        if (ring.length > 0) {
            int head = (int) (total % ring.length);
            System.arraycopy(ring, head, ordered, 0, ring.length - head);
            System.arraycopy(ring, 0, ordered, ring.length - head, head);
        }
        return "[kbr: " + (total - ring.length) + " earlier bytes of this log were dropped]\n"
                + new String(ordered, StandardCharsets.UTF_8);
    }
}
