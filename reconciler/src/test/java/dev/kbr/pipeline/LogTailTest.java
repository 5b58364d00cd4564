package dev.kbr.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTailTest {
    @Test
    void keepsEverythingBelowCapacity() {
        LogTail tail = new LogTail(16);
        tail.append(bytes("hello "));
        tail.append(bytes("world\n"));

        assertThat(tail.text()).isEqualTo("hello world\n");
    }

    @Test
    void keepsTheLastBytesAcrossManyAppends() {
        LogTail tail = new LogTail(8);
        for (int i = 0; i < 10; i++) {
            tail.append(bytes(i + "\n"));
        }

        assertThat(tail.text()).isEqualTo("[kbr: 12 earlier bytes of this log were dropped]\n6\n7\n8\n9\n");
    }

    @Test
    void keepsTheEndOfAChunkLargerThanCapacity() {
        LogTail tail = new LogTail(4);
        tail.append(bytes("ab"));
        tail.append(bytes("0123456789"));

        assertThat(tail.text()).endsWith("\n6789").contains("8 earlier bytes");
    }

    @Test
    void keepsNothingWithZeroCapacity() {
        LogTail tail = new LogTail(0);
        tail.append(bytes("abc"));

        assertThat(tail.text()).isEqualTo("[kbr: 3 earlier bytes of this log were dropped]\n");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
