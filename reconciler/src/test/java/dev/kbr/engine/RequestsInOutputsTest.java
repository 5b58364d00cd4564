package dev.kbr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.report.RunReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cached request's outputs are read back only when they may hold sub-requests: its record says
 * whether its last run left any, so a pass over plain requests reads no delivered file (on a
 * bucket, a GET each), while a compound request's sub-request is still found.
 */
class RequestsInOutputsTest {
    @TempDir
    Path platform;

    private final InMemoryStateStore store = new InMemoryStateStore();
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Test
    void onlyOutputsThatHeldRequestsAreReadBack() throws Exception {
        MemoryPasses.writeDestination(platform);
        Files.writeString(platform.resolve("promise.yaml"), MemoryPasses.appPromise("app", ""));
        Files.writeString(
                platform.resolve("stack-promise.yaml"),
                MemoryPasses.appPromise("app", "")
                        .replace("app", "stack")
                        .replace("App", "Stack")
                        .replace("name: make", "name: compose"));
        for (String name : List.of("one", "two", "three")) {
            Files.writeString(platform.resolve(name + ".yaml"), request("App", name));
        }
        Files.writeString(platform.resolve("s1.yaml"), request("Stack", "s1"));
        MemoryPasses.OneConfigMap runner = new MemoryPasses.OneConfigMap(
                ran,
                invocation -> invocation.description().startsWith("stack/default/s1 ")
                        ? Map.of("sub.yaml", request("App", "sub-s1").getBytes(StandardCharsets.UTF_8))
                        : Map.of());

        RunReport first = MemoryPasses.apply(platform, store, runner, clock, 2);
        assertThat(first.errors()).isEmpty();
        assertThat(new String(store.read().read(".kbr/objects/app/resources/default/one.json"), StandardCharsets.UTF_8))
                .contains("\"requestsInOutputs\" : false");
        assertThat(new String(
                        store.read().read(".kbr/objects/stack/resources/default/s1.json"), StandardCharsets.UTF_8))
                .contains("\"requestsInOutputs\" : true");
        store.takeOutputReads();

        ran.clear();
        RunReport second = MemoryPasses.apply(platform, store, runner, clock, 2);
        assertThat(second.errors()).isEmpty();
        assertThat(ran).isEmpty();
        assertThat(second.cached()).contains("app/default/sub-s1", "app/default/one", "stack/default/s1");
        // The Stack's one delivered file is read back to find its sub-request; the plain requests'
        // files (and the sub-request's own) are not.
        assertThat(store.takeOutputReads()).isEqualTo(2);
    }

    private static String request(String kind, String name) {
        return "apiVersion: example.com/v1\nkind: " + kind + "\nmetadata:\n  name: " + name
                + "\nspec:\n  size: small\n";
    }
}
