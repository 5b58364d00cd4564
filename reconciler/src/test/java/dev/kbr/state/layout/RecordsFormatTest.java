package dev.kbr.state.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kbr.model.DestinationCleanup;
import dev.kbr.model.FilepathMode;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.WorkId;
import dev.kbr.state.DestinationRecord;
import dev.kbr.state.GroupRecord;
import dev.kbr.state.ObjectRecord;
import dev.kbr.state.RecordedWorkload;
import dev.kbr.state.Records;
import dev.kbr.state.StateSnapshot;
import dev.kbr.state.WorkRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RecordsFormatTest {
    private static final String ID = "0123456789abcdef0123456789abcdef01234567";
    private static final WorkId WORK = WorkId.resource("catalog", "default", "a1", "resource-configure");

    /** A snapshot holding the given files, content ids being the paths themselves. */
    private static StateSnapshot snapshot(Map<String, byte[]> files) {
        SortedMap<String, String> ids = new TreeMap<>();
        Map<String, byte[]> contents = new HashMap<>();
        files.forEach((path, bytes) -> {
            ids.put(path, path);
            contents.put(path, bytes);
        });
        return new StateSnapshot(Optional.of(ID), ids, (path, id) -> contents.get(path));
    }

    @Test
    void keepsWorkloadsAndTheirContentAcrossAWriteAndARead() throws IOException {
        byte[] binary = {(byte) 0xff, 0, 1};
        WorkRecord work = new WorkRecord(
                WORK,
                List.of(new GroupRecord(
                        "5058f1af8388633f609cadb75a75dc9d",
                        ".",
                        "aggregated",
                        false,
                        new TreeMap<>(),
                        List.of(
                                new RecordedWorkload(
                                        "b.yaml", ID, Optional.of("kind: A\n".getBytes(StandardCharsets.UTF_8))),
                                new RecordedWorkload("a.bin", ID, Optional.of(binary)),
                                new RecordedWorkload("c.yaml", ID, Optional.empty())))));
        DestinationRecord destination = new DestinationRecord(
                "aggregated",
                "aggregated",
                FilepathMode.AGGREGATED_YAML,
                "catalog.yaml",
                DestinationCleanup.ALL,
                new TreeMap<>(Map.of("clusters/aggregated/kratix-canary-namespace.yaml", ID)),
                new TreeMap<>(Map.of("clusters/aggregated/catalog.yaml", ID)));
        String workPath = RecordsFormat.path("clusters", WORK);
        String destinationPath = RecordsFormat.destinationPath("clusters", "aggregated");
        assertThat(workPath).isEqualTo("clusters/.kbr/works/catalog/resources/default/a1/resource-configure.json");
        assertThat(destinationPath).isEqualTo("clusters/.kbr/destinations/aggregated.json");
        String json = new String(RecordsFormat.write(work), StandardCharsets.UTF_8);
        assertThat(json)
                .contains("\"content\" : \"kind: A\\n\"")
                .contains("\"contentBase64\" : \"/wAB\"")
                .endsWith("}\n");

        Records records = RecordsFormat.read(
                snapshot(
                        Map.of(workPath, RecordsFormat.write(work), destinationPath, RecordsFormat.write(destination))),
                "clusters");

        assertThat(records.works()).containsExactly(Map.entry(WORK, work));
        assertThat(records.destinations()).containsExactly(Map.entry("aggregated", destination));
        assertThat(records.ownedFiles())
                .containsExactly(
                        "clusters/aggregated/catalog.yaml", "clusters/aggregated/kratix-canary-namespace.yaml");
    }

    @Test
    void theRecordAtItsOwnPathWinsOverACopyElsewhere() throws IOException {
        WorkRecord own = new WorkRecord(WORK, List.of());
        WorkRecord copy = new WorkRecord(
                WORK,
                List.of(new GroupRecord(
                        "5058f1af8388633f609cadb75a75dc9d", ".", "flat", false, new TreeMap<>(), List.of())));
        ObjectKey key = ObjectKey.request("catalog", "default", "a1");
        ObjectRecord ownObject =
                new ObjectRecord(key, JsonNodeFactory.instance.objectNode().put("own", true));
        ObjectRecord copiedObject =
                new ObjectRecord(key, JsonNodeFactory.instance.objectNode().put("own", false));
        Map<String, byte[]> files = new HashMap<>();
        files.put(RecordsFormat.path("clusters", WORK), RecordsFormat.write(own));
        files.put(RecordsFormat.path("clusters", key), RecordsFormat.write(ownObject));
        // Sorted after the records' own paths, so they are read last.
        files.put("clusters/.kbr/zz/work-copy.json", RecordsFormat.write(copy));
        files.put("clusters/.kbr/zz/object-copy.json", RecordsFormat.write(copiedObject));

        Records records = RecordsFormat.read(snapshot(files), "clusters");

        assertThat(records.works()).containsExactly(Map.entry(WORK, own));
        assertThat(records.objects()).containsExactly(Map.entry(key, ownObject));
    }

    @Test
    void saysWhichRequestsWereCreatedThroughThePlatformApiAndWritesNothingNewForOthers() throws IOException {
        ObjectKey created = ObjectKey.request("namespace", "default", "shared");
        ObjectKey fromRepo = ObjectKey.request("namespace-claim", "default", "team-a");
        ObjectRecord createdRecord =
                new ObjectRecord(created, JsonNodeFactory.instance.objectNode(), Optional.empty(), true);
        ObjectRecord repoRecord = new ObjectRecord(fromRepo, JsonNodeFactory.instance.objectNode());
        Map<String, byte[]> files = new HashMap<>();
        files.put(RecordsFormat.path("clusters", created), RecordsFormat.write(createdRecord));
        files.put(RecordsFormat.path("clusters", fromRepo), RecordsFormat.write(repoRecord));

        Records records = RecordsFormat.read(snapshot(files), "clusters");

        assertThat(records.objects().get(created).createdThroughApi()).isTrue();
        assertThat(records.objects().get(fromRepo).createdThroughApi()).isFalse();
        assertThat(new String(RecordsFormat.write(repoRecord), java.nio.charset.StandardCharsets.UTF_8))
                .doesNotContain("createdThroughApi");
    }

    @Test
    void aRecordThatIsNotJsonIsNamedWithHowToRecover() {
        String path = RecordsFormat.path("clusters", WORK);

        assertThatThrownBy(() -> RecordsFormat.read(
                        snapshot(Map.of(path, "{ \"kind\" : ".getBytes(StandardCharsets.UTF_8))), "clusters"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("kbr record " + path + " is not valid JSON (")
                .hasMessageEndingWith("restore it from Git history or delete it to let kbr rebuild its records");
    }

    @Test
    void readsWorkRecordsWrittenBeforeWorkloadsWereRecorded() throws IOException {
        String old = """
                {
                  "kind" : "Work",
                  "version" : 1,
                  "work" : {"type" : "PROMISE", "promise" : "p", "namespace" : "", "name" : "", "pipeline" : "c"},
                  "groups" : [ {"id" : "5058f1af8388633f609cadb75a75dc9d", "directory" : ".", "destination" : "w",
                    "misplaced" : false, "files" : {"w/dependencies/p/c/5058f/a.yaml" : "%s"} } ]
                }
                """.formatted(ID);
        Records records = RecordsFormat.read(
                snapshot(Map.of(".kbr/works/p/promise/c.json", old.getBytes(StandardCharsets.UTF_8))), "");
        GroupRecord group =
                records.works().get(WorkId.promise("p", "c")).groups().get(0);
        assertThat(group.workloads()).isEmpty();
        assertThat(group.files()).containsOnlyKeys("w/dependencies/p/c/5058f/a.yaml");
        assertThat(records.destinations()).isEmpty();
    }
}
