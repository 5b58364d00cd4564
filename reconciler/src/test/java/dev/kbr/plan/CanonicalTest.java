package dev.kbr.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.load.PlatformLoader;
import dev.kbr.model.Promise;
import dev.kbr.testsupport.SharedFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void keyOrderDoesNotChangeTheHash() throws IOException {
        assertThat(Canonical.sha256(JSON.readTree("{\"b\":[{\"y\":1,\"x\":2}],\"a\":\"é\"}")))
                .isEqualTo(Canonical.sha256(JSON.readTree("{\"a\":\"é\",\"b\":[{\"x\":2,\"y\":1}]}")));
    }

    /** Request inputs embed their Promise's spec presorted; the hashes must stay those of the spec itself. */
    @Test
    void aPresortedValueHashesExactlyAsTheValueItself() throws IOException {
        List<JsonNode> values = new ArrayList<>();
        for (Promise promise : PlatformLoader.load(SharedFiles.repoRoot().resolve("fixtures/platforms/seeds"))
                .platform()
                .promises()) {
            values.add(promise.document().path("spec"));
        }
        values.add(JSON.readTree("{\"z\":{\"q\":[1,2.5,-3e10,true,null,\"a\\\"b\\n\\u0001\"]},\"a\":{}}"));
        values.add(JSON.readTree("[{\"b\":1,\"a\":[]},\"x\"]"));
        values.add(JSON.readTree("\"just a string\""));
        values.add(MissingNode.getInstance());

        for (JsonNode value : values) {
            ObjectNode plain = JSON.createObjectNode().put("name", "r1").put("namespace", "default");
            plain.set("spec", JSON.readTree("{\"size\":\"small\"}"));
            ObjectNode presorted = plain.deepCopy();
            plain.set("promise", value.deepCopy());
            presorted.set("promise", Canonical.presorted(value));

            assertThat(Canonical.sha256(presorted)).as(value.toString()).isEqualTo(Canonical.sha256(plain));
        }
    }
}
