package dev.kbr.cli;

import dev.kbr.testsupport.Processes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A platform folder for the transport ITs: GitStateStore {@code default} at a real https or ssh
 * URL with {@code spec.secretRef} default/git-creds, one Destination, and a Promise whose pipeline
 * writes its whole environment and a listing of {@code /kratix} and {@code /tmp} into the state
 * store (so a test can prove no credential reached the container).
 */
final class CredentialedPlatform {
    static final String SECRET_NAMESPACE = "default";
    static final String SECRET_NAME = "git-creds";

    private CredentialedPlatform() {}

    /** Writes the platform into {@code dir} and returns it. */
    static Path write(Path dir, String url, String authMethod) throws IOException {
        Files.createDirectories(dir.resolve("state-stores"));
        Files.createDirectories(dir.resolve("destinations"));
        Files.createDirectories(dir.resolve("promises"));
        Files.writeString(dir.resolve("state-stores/default.yaml"), """
                apiVersion: platform.kratix.io/v1alpha1
                kind: GitStateStore
                metadata:
                  name: default
                spec:
                  url: %s
                  branch: main
                  path: clusters
                  authMethod: %s
                  secretRef:
                    name: %s
                    namespace: %s
                """.formatted(
                        url, authMethod, SECRET_NAME, SECRET_NAMESPACE));
        Files.writeString(dir.resolve("destinations/dev.yaml"), """
                apiVersion: platform.kratix.io/v1alpha1
                kind: Destination
                metadata:
                  name: dev
                  labels:
                    env: dev
                spec:
                  path: dev
                  stateStoreRef:
                    kind: GitStateStore
                    name: default
                """);
        Files.writeString(dir.resolve("promises/probe.yaml"), """
                apiVersion: platform.kratix.io/v1alpha1
                kind: Promise
                metadata:
                  name: probe
                spec:
                  destinationSelectors:
                  - matchLabels:
                      env: dev
                  workflows:
                    promise:
                      configure:
                      - apiVersion: platform.kratix.io/v1alpha1
                        kind: Pipeline
                        metadata:
                          name: probe
                        spec:
                          containers:
                          - name: dump
                            image: kbr.local/busybox-base:v0.1.0
                            imagePullPolicy: IfNotPresent
                            command: ["sh", "-c"]
                            args:
                            - |
                              set -eu
                              env | sort > /kratix/output/env.txt
                              ls -laR /kratix /tmp > /kratix/output/files.txt
                              printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: probe\\n' > /kratix/output/probe.yaml
                """);
        return dir;
    }

    /** Writes the Secret's keys as a mounted Secret: {@code secrets/default/git-creds/<key>}. */
    static Path secretsDir(Path tmp, Map<String, String> keys) throws IOException {
        Path secret = tmp.resolve("secrets").resolve(SECRET_NAMESPACE).resolve(SECRET_NAME);
        Files.createDirectories(secret);
        for (var e : keys.entrySet()) {
            Files.writeString(secret.resolve(e.getKey()), e.getValue());
        }
        return tmp.resolve("secrets");
    }

    /** Runs kbr in this JVM; stdout and stderr merged. */
    static Processes.Result inProcess(String... args) {
        StringWriter out = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(out), args);
        return new Processes.Result(code, out.toString());
    }

    /**
     * Runs the shaded {@code kbr.jar} (what users run) with this JVM's environment less
     * {@code GIT_SSL_CAINFO} and {@code KBR_SECRET_*}, plus {@code env}; stdout and stderr merged.
     * Bounded to two minutes.
     */
    static Processes.Result jar(Path dir, Map<String, String> env, String... args) throws Exception {
        Path jar = Path.of(System.getProperty("kbr.jar", "target/kbr.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("kbr.jar not built at " + jar + "; run `mvn verify` (the package phase)");
        }
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        // Only what the test gives: this machine's own CA bundle or Secrets must not leak in.
        builder.environment().keySet().removeIf(k -> k.equals("GIT_SSL_CAINFO") || k.startsWith("KBR_SECRET_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("kbr.jar timed out: " + command);
        }
        return new Processes.Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
