package dev.kbr.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where Secrets, CA certificates and the Git cache are: {@code --secrets-dir}, {@code --ca-file}
 * and {@code --cache-dir}. Shared by {@code plan}, {@code apply} and {@code render}.
 */
final class InputOptions {

    @Option(
            names = "--secrets-dir",
            paramLabel = "DIR",
            description = {
                "Secrets for pipeline env valueFrom.secretKeyRef and envFrom.secretRef, secret and projected volumes,",
                "and a state store's spec.secretRef (Git or bucket), laid out as a mounted Kubernetes Secret:",
                "DIR/<namespace>/<name>/<key>.",
                "Variables KBR_SECRET_<NAMESPACE>_<NAME>_<KEY> also work and win. Values are never printed."
            })
    Path secretsDir;

    @Option(
            names = "--ca-file",
            paramLabel = "PATH",
            description = {
                "PEM file of CA certificates to trust for https state stores and --platform, besides the JVM's own CAs",
                "(default: $GIT_SSL_CAINFO, else none)."
            })
    Path caFile;

    @Option(
            names = "--cache-dir",
            paramLabel = "DIR",
            description = {
                "Keep each state store's (and a Git --platform's) local repository here between runs, so a repeated pass fetches",
                "only what changed (default: $KBR_CACHE_DIR, else a temporary folder per run)."
            })
    Path cacheDir;

    /** The Secrets of {@code --secrets-dir} and {@code KBR_SECRET_*}. */
    MountedSecrets secrets() {
        return new MountedSecrets(Optional.ofNullable(secretsDir), System.getenv());
    }

    /**
     * {@code --ca-file}, else {@code $GIT_SSL_CAINFO}.
     *
     * @throws IOException when the file named is not readable
     */
    Optional<Path> caFile() throws IOException {
        return StateStoreCredentials.caFile(caFile, System.getenv());
    }

    /** {@code --cache-dir}, else {@code $KBR_CACHE_DIR}. */
    Optional<Path> cacheDir() {
        return Adapters.cacheDir(cacheDir);
    }
}
