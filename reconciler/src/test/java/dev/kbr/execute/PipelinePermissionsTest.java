package dev.kbr.execute;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kbr.load.PlatformLoader;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.Pipeline;
import dev.kbr.model.Promise;
import dev.kbr.model.WorkflowAction;
import dev.kbr.model.WorkflowType;
import dev.kbr.platformapi.Caller;
import dev.kbr.platformapi.ObjectRef;
import dev.kbr.platformapi.PolicyRule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelinePermissionsTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    private static Promise promise(String pipelineNamespace) throws Exception {
        List<Diagnostic> diagnostics = new ArrayList<>();
        Promise promise = PlatformLoader.promise(
                        "test", (ObjectNode) YAML.readTree("""
                        apiVersion: platform.kratix.io/v1alpha1
                        kind: Promise
                        metadata:
                          name: claim
                        spec:
                          api:
                            apiVersion: apiextensions.k8s.io/v1
                            kind: CustomResourceDefinition
                            metadata:
                              name: claims.example.kbr.dev
                            spec:
                              group: example.kbr.dev
                              names: {kind: Claim, plural: claims, singular: claim}
                              scope: Namespaced
                              versions:
                                - name: v1
                                  served: true
                                  storage: true
                                  schema:
                                    openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
                          workflows:
                            config:
                              pipelineNamespace: %s
                            resource:
                              configure:
                                - apiVersion: platform.kratix.io/v1alpha1
                                  kind: Pipeline
                                  metadata: {name: ensure}
                                  spec:
                                    rbac:
                                      permissions:
                                        - apiGroups: [example.kbr.dev]
                                          resources: [targets]
                                          verbs: [get, create]
                                          resourceNamespace: "*"
                                        - apiGroups: [""]
                                          resources: [secrets]
                                          resourceNames: [db]
                                          verbs: [get]
                                    containers:
                                      - {name: c, image: kbr.local/busybox-base:v0.1.0}
                        """.formatted(pipelineNamespace)), diagnostics)
                .orElseThrow();
        assertThat(diagnostics).isEmpty();
        return promise;
    }

    @Test
    void givesKratixsPipelineRoleOnTheRequestAndItsStatusPlusTheUsersPermissions() throws Exception {
        Promise promise = promise("\"\"");
        Pipeline pipeline = promise.workflows()
                .of(WorkflowType.RESOURCE, WorkflowAction.CONFIGURE)
                .get(0);
        ObjectNode object = YAML.createObjectNode().put("kind", "Claim");
        WorkflowJob job = new WorkflowJob(promise, ObjectKey.request("claim", "team-a", "one"), object, "new");

        Caller caller = PipelinePermissions.of(job, pipeline, "claim/team-a/one resource.configure ensure", object);

        assertThat(caller.self()).isEqualTo(new ObjectRef("example.kbr.dev", "claims", "team-a", "one"));
        assertThat(caller.namespace()).isEqualTo("team-a");
        assertThat(caller.selfObject()).isEqualTo(object);
        assertThat(caller.rules())
                .containsExactly(
                        new PolicyRule(
                                List.of("example.kbr.dev"),
                                List.of("claims", "claims/status"),
                                List.of("get", "list", "update", "create", "patch"),
                                List.of(),
                                "team-a"),
                        new PolicyRule(
                                List.of("example.kbr.dev"),
                                List.of("targets"),
                                List.of("get", "create"),
                                List.of(),
                                "*"),
                        new PolicyRule(List.of(""), List.of("secrets"), List.of("get"), List.of("db"), "team-a"));
    }

    @Test
    void aPipelineNamespaceOtherThanTheRequestsGetsTheRoleInBoth() throws Exception {
        Promise promise = promise("pipelines");
        Pipeline pipeline = promise.workflows()
                .of(WorkflowType.RESOURCE, WorkflowAction.CONFIGURE)
                .get(0);
        ObjectNode object = YAML.createObjectNode();
        WorkflowJob job = new WorkflowJob(promise, ObjectKey.request("claim", "team-a", "one"), object, "new");

        Caller caller = PipelinePermissions.of(job, pipeline, "d", object);

        assertThat(caller.namespace()).isEqualTo("pipelines");
        assertThat(caller.rules().stream().map(PolicyRule::namespace).toList())
                .containsExactly("pipelines", "team-a", "*", "pipelines");
    }

    @Test
    void aPromiseWorkflowMayReadAndWritePromisesAndTheirStatusClusterWide() throws Exception {
        Promise promise = promise("\"\"");
        Pipeline pipeline = promise.workflows()
                .of(WorkflowType.RESOURCE, WorkflowAction.CONFIGURE)
                .get(0);
        ObjectNode object = YAML.createObjectNode();
        WorkflowJob job = new WorkflowJob(promise, ObjectKey.promise("claim"), object, "new");

        Caller caller = PipelinePermissions.of(job, pipeline, "d", object);

        assertThat(caller.self()).isEqualTo(new ObjectRef("platform.kratix.io", "promises", "", "claim"));
        assertThat(caller.rules().get(0))
                .isEqualTo(new PolicyRule(
                        List.of("platform.kratix.io"),
                        List.of("promises", "promises/status"),
                        List.of("get", "list", "update", "create", "patch"),
                        List.of(),
                        "*"));
    }
}
