package dev.kbr.platformapi.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kbr.platformapi.ApiSession;
import dev.kbr.platformapi.ApiWrites;
import dev.kbr.testsupport.Processes;
import dev.kbr.testsupport.RequiredTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code kubectl} against the server, through a kubeconfig holding what a pipeline gets
 * (server URL, CA, token): discovery (aggregated discovery asked for, legacy answered), Tables
 * asked for and plain lists printed, output formats, selectors, Secrets, the status subresource
 * and a forbidden call.
 */
class PlatformApiKubectlIT {
    private static final Path KUBECTL = Path.of("/usr/bin/kubectl");

    @TempDir
    Path dir;

    private ApiFixture api;
    private ApiSession session;
    private Path kubeconfig;

    @BeforeEach
    void start() throws Exception {
        RequiredTools.require("ci/setup-tools", KUBECTL);
        api = new ApiFixture();
        session = api.pipeline();
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(
                kubeconfig,
                String.join(
                        "\n",
                        "apiVersion: v1",
                        "kind: Config",
                        "clusters:",
                        "- name: kbr",
                        "  cluster:",
                        "    server: https://" + session.host() + ":" + session.port(),
                        "    certificate-authority-data: "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                session.caCertificatePem().getBytes(StandardCharsets.US_ASCII)),
                        "users:",
                        "- name: pipeline",
                        "  user:",
                        "    token: " + session.token(),
                        "contexts:",
                        "- name: kbr",
                        "  context: {cluster: kbr, user: pipeline, namespace: " + session.namespace() + "}",
                        "current-context: kbr",
                        ""));
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void getPrintsTheRequestsInEveryFormat() throws Exception {
        String table = kubectl("get", "namespaceclaims");
        assertThat(table).contains("alpha", "beta", "made-by-api").doesNotContain("gamma");
        assertThat(kubectl("get", "nsc", "-A", "-o", "name"))
                .contains("namespaceclaim.example.com/gamma", "namespaceclaim.example.com/alpha");
        JsonNode list = ApiFixture.JSON.readTree(kubectl("get", "namespaceclaims", "-o", "json"));
        assertThat(list.path("items")).hasSize(3);
        assertThat(kubectl("get", "namespaceclaim", "alpha", "-o", "yaml")).contains("tier: gold", "size: small");
        assertThat(kubectl("get", "namespaceclaims", "alpha", "-o", "jsonpath={.status.message}"))
                .isEqualTo("pending");
        assertThat(kubectl("get", "namespaceclaims", "-l", "team=a", "-A", "-o", "jsonpath={.items[*].metadata.name}"))
                .isEqualTo("alpha gamma");
        assertThat(kubectl("get", "namespaceclaims", "-l", "team notin (a)", "-o", "name"))
                .contains("beta", "made-by-api")
                .doesNotContain("alpha");
        assertThat(kubectl("get", "configmap", "settings", "-o", "jsonpath={.data.colour}"))
                .isEqualTo("blue");
        assertThat(kubectl("get", "promises.platform.kratix.io", "namespace", "-o", "jsonpath={.status.status}"))
                .isEqualTo("Available");
    }

    @Test
    void readsASecretByName() throws Exception {
        assertThat(kubectl("get", "secret", "db-creds", "-o", "jsonpath={.data.user}"))
                .isEqualTo("YXBw");
    }

    @Test
    void patchesItsOwnStatus() throws Exception {
        Processes.Result version = run("version", "--client", "-o", "json");
        Matcher minor = Pattern.compile("\"minor\":\\s*\"(\\d+)").matcher(version.output());
        if (!minor.find() || Integer.parseInt(minor.group(1)) < 24) {
            // kubectl learnt --subresource in 1.24; Debian's 1.20 cannot patch a status at all.
            System.err.println("NOTE: kubectl older than 1.24, no --subresource: status patch not checked");
            return;
        }
        kubectl(
                "patch",
                "namespaceclaims",
                "alpha",
                "--subresource=status",
                "--type=merge",
                "-p",
                "{\"status\":{\"message\":\"ready from kubectl\"}}");
        assertThat(kubectl("get", "namespaceclaims", "alpha", "-o", "jsonpath={.status.message}"))
                .isEqualTo("ready from kubectl");
        ApiWrites writes = session.finish();
        assertThat(writes.status())
                .hasValueSatisfying(
                        status -> assertThat(status.path("message").asText()).isEqualTo("ready from kubectl"));
    }

    @Test
    void aForbiddenCallExitsNonZeroSayingForbidden() throws Exception {
        Processes.Result result = run("get", "namespaceclaim", "gamma", "-n", "other");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("Forbidden", "is forbidden for pipeline");
        Processes.Result secrets = run("get", "secrets");
        assertThat(secrets.exitCode()).isNotZero();
        assertThat(secrets.output()).contains("Forbidden", "by name only");
        assertThat(session.finish().refused()).hasSize(2);
    }

    private String kubectl(String... args) throws Exception {
        Processes.Result result = run(args);
        assertThat(result.exitCode())
                .as("kubectl %s:\n%s", String.join(" ", args), result.output())
                .isZero();
        return result.output();
    }

    private Processes.Result run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                KUBECTL.toString(),
                "--kubeconfig",
                kubeconfig.toString(),
                "--cache-dir",
                dir.resolve("cache").toString()));
        command.addAll(List.of(args));
        return Processes.run(dir, command);
    }
}
