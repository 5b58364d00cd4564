package dev.kbr.platformapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerFieldsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant FIRST = Instant.parse("2026-01-02T03:04:05.678Z");
    private static final Instant LATER = Instant.parse("2026-03-01T00:00:00Z");

    private static ObjectNode request(String size) throws Exception {
        return (ObjectNode) JSON.readTree("{\"apiVersion\":\"example.kbr.dev/v1\",\"kind\":\"Redis\","
                + "\"metadata\":{\"name\":\"one\"},\"spec\":{\"size\":\"" + size + "\"}}");
    }

    @Test
    void givesANamespacedObjectWithoutNamespaceTheDefaultOneAndEveryServerField() throws Exception {
        ObjectNode object = ServerFields.complete(request("small"), true, Optional.empty(), FIRST);

        assertThat(object.at("/metadata/namespace").asText()).isEqualTo("default");
        assertThat(object.at("/metadata/uid").asText()).matches("[0-9a-f-]{36}");
        assertThat(object.at("/metadata/creationTimestamp").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(object.at("/metadata/generation").asLong()).isEqualTo(1);
        assertThat(object.at("/metadata/resourceVersion").asText()).matches("[1-9][0-9]*");
    }

    @Test
    void keepsEveryFieldFromPassToPassWhileTheObjectIsUnchanged() throws Exception {
        ObjectNode first = ServerFields.complete(request("small"), true, Optional.empty(), FIRST);
        ObjectNode second = ServerFields.complete(request("small"), true, Optional.of(first), LATER);

        assertThat(second).isEqualTo(first);
    }

    @Test
    void countsAGenerationForEachSpecChangeAndKeepsTheCreationTimeAndUid() throws Exception {
        ObjectNode first = ServerFields.complete(request("small"), true, Optional.empty(), FIRST);
        ObjectNode changed = ServerFields.complete(request("large"), true, Optional.of(first), LATER);

        assertThat(changed.at("/metadata/generation").asLong()).isEqualTo(2);
        assertThat(changed.at("/metadata/uid")).isEqualTo(first.at("/metadata/uid"));
        assertThat(changed.at("/metadata/creationTimestamp")).isEqualTo(first.at("/metadata/creationTimestamp"));
        assertThat(changed.at("/metadata/resourceVersion")).isNotEqualTo(first.at("/metadata/resourceVersion"));
    }

    @Test
    void leavesAClusterScopedObjectWithoutNamespaceAndGivesOtherObjectsOtherUids() throws Exception {
        ObjectNode promise = (ObjectNode)
                JSON.readTree(
                        "{\"apiVersion\":\"platform.kratix.io/v1alpha1\",\"kind\":\"Promise\",\"metadata\":{\"name\":\"one\"}}");
        ServerFields.complete(promise, false, Optional.empty(), FIRST);
        ObjectNode request = ServerFields.complete(request("small"), true, Optional.empty(), FIRST);

        assertThat(promise.path("metadata").has("namespace")).isFalse();
        assertThat(promise.at("/metadata/uid")).isNotEqualTo(request.at("/metadata/uid"));
    }

    @Test
    void aNumberReadBackInAnotherNodeTypeIsNoSpecChange() throws Exception {
        ObjectNode first = ServerFields.complete(request("small"), true, Optional.empty(), FIRST);
        ((ObjectNode) first.get("spec")).put("port", 8080L);
        ObjectNode again = request("small");
        ((ObjectNode) again.get("spec")).put("port", 8080);

        ServerFields.complete(again, true, Optional.of(first), LATER);

        assertThat(again.at("/metadata/generation").asLong()).isEqualTo(1);
    }

    @Test
    void aStatusChangeKeepsTheResourceVersion() throws Exception {
        ObjectNode object = ServerFields.complete(request("small"), true, Optional.empty(), FIRST);
        ObjectNode withStatus = object.deepCopy();
        withStatus.putObject("status").put("ready", true);

        assertThat(ServerFields.resourceVersion(withStatus)).isEqualTo(ServerFields.resourceVersion(object));
    }
}
