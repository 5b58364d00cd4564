package dev.kbr.cli;

import dev.kbr.engine.StatusQuery;
import dev.kbr.load.PlatformSource;
import dev.kbr.report.ObjectStatusView;
import dev.kbr.report.StatusReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kbr status}: each object's status, from kbr's records in the state stores. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Print each Promise's and request's status as the last pass recorded it.",
            "Reads kbr's records in the state stores; runs no container and changes nothing."
        })
final class StatusCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format {
        text,
        json
    }

    @CommandLine.Mixin
    PlatformOptions platform;

    @Option(
            names = "--state-url",
            paramLabel = "NAME=URL",
            description = "Replace the url of state store NAME, as plan and apply do. Repeatable.")
    Map<String, String> stateUrls = new LinkedHashMap<>();

    @Option(
            names = "--cache-dir",
            paramLabel = "DIR",
            description = "Local Git repositories (state stores, a Git --platform) kept between runs (default:"
                    + " $KBR_CACHE_DIR, else none).")
    Path cacheDir;

    @Option(
            names = "--secrets-dir",
            paramLabel = "DIR",
            description = {
                "Secrets for a state store's spec.secretRef and --platform-secret: DIR/<namespace>/<name>/<key>; variables",
                "KBR_SECRET_<NAMESPACE>_<NAME>_<KEY> also work and win."
            })
    Path secretsDir;

    @Option(
            names = "--ca-file",
            paramLabel = "PATH",
            description = "PEM CA certificates to trust for https state stores and --platform (default:"
                    + " $GIT_SSL_CAINFO).")
    Path caFile;

    @Option(
            names = "--github-api-url",
            paramLabel = "URL",
            defaultValue = "https://api.github.com",
            description = "GitHub's REST API for GitStateStores with authMethod githubApp, as plan and apply take it"
                    + " (default: ${DEFAULT-VALUE}).")
    String githubApiUrl;

    @Option(
            names = "--output",
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    Format output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        MountedSecrets secrets = new MountedSecrets(Optional.ofNullable(secretsDir), System.getenv());
        Optional<Path> trusted = StateStoreCredentials.caFile(caFile, System.getenv());
        Optional<Path> cache = Adapters.cacheDir(cacheDir);
        java.net.URI githubApi = StateStoreCredentials.githubApiUrl(githubApiUrl);
        List<ObjectStatusView> views;
        try (PlatformSource source = platform.open(secrets, trusted, cache, githubApi)) {
            views = new StatusQuery(store ->
                            Adapters.openStateStore(store, secrets, Adapters.StoreAccess.of(cache, trusted, githubApi)))
                    .read(source, stateUrls);
        }
        if (output == Format.json) {
            StatusReport.json(views, spec.commandLine().getOut());
        } else {
            StatusReport.text(views, spec.commandLine().getOut());
        }
        return Main.OK;
    }
}
