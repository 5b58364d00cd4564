package dev.kbr.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.Destination;
import dev.kbr.model.WorkflowType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The input hash is part of the records' format: every state store holds these values, and a
 * change re-runs every workflow once. The expected hashes were computed by the release that
 * wrote the stores now in use; they must not change by accident.
 */
class InputHashTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRequestsHashCoversItsSpecNameNamespaceAndThePromiseSpec() throws Exception {
        ObjectNode request = request("{\"size\":\"small\"}");
        String hash = InputHash.of(WorkflowType.RESOURCE, promiseSpec(), request, List.of());
        assertThat(hash).isEqualTo(PINNED_REQUEST);
        assertThat(InputHash.of(WorkflowType.RESOURCE, promiseSpec(), request("{\"size\":\"large\"}"), List.of()))
                .isNotEqualTo(hash);
        ObjectNode labelled = request.deepCopy();
        ((ObjectNode) labelled.get("metadata")).putObject("labels").put("team", "a");
        assertThat(InputHash.of(WorkflowType.RESOURCE, promiseSpec(), labelled, List.of()))
                .as("labels and status are not inputs")
                .isEqualTo(hash);
        JsonNode otherPromise =
                Canonical.presorted(JSON.readTree("{\"image\":\"redis:8\",\"api\":{\"kind\":\"Redis\"}}"));
        assertThat(InputHash.of(WorkflowType.RESOURCE, otherPromise, request, List.of()))
                .isNotEqualTo(hash);
    }

    @Test
    void aPromisesHashCoversTheDestinations() throws Exception {
        ObjectNode promise = (ObjectNode) JSON.readTree(
                "{\"apiVersion\":\"platform.kratix.io/v1alpha1\",\"kind\":\"Promise\",\"metadata\":{\"name\":\"redis\"},"
                        + "\"spec\":{\"image\":\"redis:7\"}}");
        String none = InputHash.of(WorkflowType.PROMISE, promiseSpec(), promise, List.of());
        assertThat(none).isEqualTo(PINNED_PROMISE);
        assertThat(InputHash.of(WorkflowType.PROMISE, promiseSpec(), promise, List.of(worker())))
                .isNotEqualTo(none);
    }

    @Test
    void theManualReconciliationLabelIsRead() throws Exception {
        ObjectNode request = request("{}");
        assertThat(InputHash.manualReconciliation(request)).isEmpty();
        ((ObjectNode) request.get("metadata")).putObject("labels").put("kratix.io/manual-reconciliation", "true");
        assertThat(InputHash.manualReconciliation(request)).isEqualTo("true");
    }

    private static final String PINNED_REQUEST = "e60dca11ffd073fbdc7eff39aa623fd18cd96402e97c46ed196c1811ee3d7cae";
    private static final String PINNED_PROMISE = "ea896e4ff7118f1396d5eb291b169fc3db1381a882fd3843540a0cda98bd57b1";

    private static com.fasterxml.jackson.databind.JsonNode promiseSpec() throws Exception {
        return Canonical.presorted(JSON.readTree("{\"image\":\"redis:7\",\"api\":{\"kind\":\"Redis\"}}"));
    }

    private static ObjectNode request(String spec) throws Exception {
        return (ObjectNode) JSON.readTree("{\"apiVersion\":\"marketplace.kratix.io/v1alpha1\",\"kind\":\"Redis\","
                + "\"metadata\":{\"name\":\"cache\",\"namespace\":\"default\"},\"spec\":" + spec + "}");
    }

    private static Destination worker() {
        return new Destination(
                "worker",
                java.util.Map.of("env", "dev"),
                "worker",
                new dev.kbr.model.StateStoreRef("GitStateStore", "default"),
                false,
                dev.kbr.model.FilepathMode.NESTED_BY_METADATA,
                "aggregated.yaml",
                false,
                dev.kbr.model.DestinationCleanup.ALL,
                dev.kbr.model.SourceLocation.of("worker"));
    }
}
