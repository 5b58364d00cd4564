package dev.kbr.cli;

import dev.kbr.engine.Secrets;
import dev.kbr.model.GitStateStore;
import dev.kbr.pipeline.PipelineRunner;
import dev.kbr.pipeline.docker.DockerPipelineRunner;
import dev.kbr.pipeline.docker.DockerRunnerSettings;
import dev.kbr.state.StateStore;
import dev.kbr.state.git.GitCredentials;
import dev.kbr.state.git.GitRepoStateStore;
import dev.kbr.state.git.GitStoreSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** The composition root: the only place that constructs adapters. */
final class Adapters {
    private Adapters() {}

    /** The Docker runner, configured from the command line. */
    static PipelineRunner pipelineRunner(PassOptionsMixin options) throws IOException {
        DockerRunnerSettings settings = DockerRunnerSettings.defaults().withNetworkMode(options.pipelineNetwork);
        if (options.dockerHost != null) {
            settings = settings.withDockerHost(options.dockerHost);
        }
        return DockerPipelineRunner.connect(settings);
    }

    /**
     * Opens a GitStateStore (URL overrides already applied). With a cache folder, the store keeps
     * its local repository there between runs, one folder per store URL and branch, so a repeated
     * pass fetches only what changed. Credentials come from the store's {@code spec.secretRef}
     * read through {@code secrets}; {@code caFile} is trusted for https remotes.
     */
    static StateStore openStateStore(
            GitStateStore store, Optional<Path> cacheDir, Secrets secrets, Optional<Path> caFile) throws IOException {
        GitStoreSettings settings = GitStoreSettings.from(store);
        Optional<GitCredentials> credentials = StateStoreCredentials.of(store, secrets);
        if (credentials.isPresent()) {
            settings = settings.withCredentials(credentials.get());
        }
        if (caFile.isPresent()) {
            settings = settings.withTrustedCaFile(caFile.get());
        }
        if (cacheDir.isPresent()) {
            String key = store.name().replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                    + sha256(store.url() + "\n" + store.branch()).substring(0, 12);
            settings =
                    settings.withScratchDirectory(cacheDir.get().resolve("git").resolve(key));
        }
        return GitRepoStateStore.open(settings);
    }

    /** {@code --cache-dir}, else {@code $KBR_CACHE_DIR}, else none. */
    static Optional<Path> cacheDir(Path option) {
        if (option != null) {
            return Optional.of(option);
        }
        String env = System.getenv("KBR_CACHE_DIR");
        return env == null || env.isBlank() ? Optional.empty() : Optional.of(Path.of(env));
    }

    /** SHA-256 of {@code text} (UTF-8), as hex. */
    static String sha256(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }
}
