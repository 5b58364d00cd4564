package dev.kbr.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnservedDocumentsTest {
    @Test
    void oneEditApartMeansCaseOrOneCharacterInsertedDeletedOrReplaced() {
        assertThat(UnservedDocuments.oneEditApart("Redis", "redis")).isTrue();
        assertThat(UnservedDocuments.oneEditApart("Redis", "Rediss")).isTrue();
        assertThat(UnservedDocuments.oneEditApart("Redis", "Reds")).isTrue();
        assertThat(UnservedDocuments.oneEditApart("Redis", "Rexis")).isTrue();
        assertThat(UnservedDocuments.oneEditApart("Destination", "Destinaton")).isTrue();
        assertThat(UnservedDocuments.oneEditApart("Redis", "Redis"))
                .as("the same name")
                .isFalse();
        assertThat(UnservedDocuments.oneEditApart("Redis", "Radix")).isFalse();
        assertThat(UnservedDocuments.oneEditApart("platform", "platfrom"))
                .as("a transposition is two edits")
                .isFalse();
        assertThat(UnservedDocuments.oneEditApart("bucket", "slack")).isFalse();
        assertThat(UnservedDocuments.oneEditApart("a", "abc")).isFalse();
    }

    @Test
    void documentsInAPipelinesOwnFoldersAreItsMaterial() {
        assertThat(UnservedDocuments.pipelineMaterial("jenkins/internal/configure-pipeline/resources/jenkins.yaml"))
                .isTrue();
        assertThat(UnservedDocuments.pipelineMaterial("paved-path/configure-pipeline/knative.yaml"))
                .isTrue();
        assertThat(UnservedDocuments.pipelineMaterial("app/templates/deployment.yaml"))
                .isTrue();
        assertThat(UnservedDocuments.pipelineMaterial("promise/workflows/resource/configure/p.yaml"))
                .isTrue();
        assertThat(UnservedDocuments.pipelineMaterial("requests/resources.yaml"))
                .as("only folders count")
                .isFalse();
        assertThat(UnservedDocuments.pipelineMaterial("pipeline-images/example-request.yaml"))
                .isFalse();
        assertThat(UnservedDocuments.pipelineMaterial("requests/redis.yaml")).isFalse();
    }
}
