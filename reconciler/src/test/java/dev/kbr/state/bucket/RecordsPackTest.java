package dev.kbr.state.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RecordsPackTest {

    @Test
    void theSameRecordsGiveTheSameBytesWhateverTheirOrder() throws IOException {
        SortedMap<String, byte[]> records = new TreeMap<>();
        records.put("objects/app/promise.json", "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8));
        String longPath = "works/" + "very-long-promise-name/".repeat(8) + "resource-configure.json";
        records.put(longPath, "{}\n".getBytes(StandardCharsets.UTF_8));
        SortedMap<String, String> ids = new TreeMap<>();
        ids.put("b1946ac92492d2347c6235b4d2611184", "ce013625030ba8dba906f756967f9e9ca394464a");
        byte[] first = new RecordsPack(records, ids).write();
        byte[] again = new RecordsPack(new TreeMap<>(records), new TreeMap<>(ids)).write();
        assertThat(again).isEqualTo(first);

        RecordsPack read = RecordsPack.read(first, "test");
        assertThat(read.records().keySet()).containsExactly("objects/app/promise.json", longPath);
        assertThat(new String(read.records().get(longPath), StandardCharsets.UTF_8))
                .isEqualTo("{}\n");
        assertThat(read.contentIds()).isEqualTo(ids);
        assertThat(read.write()).isEqualTo(first);
    }

    @Test
    void somethingElseIsRefusedWithWhatToDo() {
        assertThatThrownBy(
                        () -> RecordsPack.read("not a tar".getBytes(StandardCharsets.UTF_8), ".kbr/records/x.tar.gz"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(".kbr/records/x.tar.gz is not a records archive kbr can read")
                .hasMessageContaining("delete it to start the records over");
    }
}
