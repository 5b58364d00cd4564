package dev.kbr.cli;

import dev.kbr.engine.PlatformCheck;
import dev.kbr.load.PlatformSource;
import dev.kbr.model.Diagnostic;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kbr validate}: check the platform repo; run nothing, touch no state store. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Check Promises and resource requests; run no pipeline, open no state store.",
            "Validates every Promise, and every resource request against its Promise's API",
            "(schema, defaults, x-kubernetes-validations rules), then prints each problem as",
            "file:line: severity: field: message and a summary line. Exits 1 on any error."
        })
final class ValidateCommand implements Callable<Integer> {
    @CommandLine.Mixin
    PlatformOptions platform;

    @Option(
            names = "--secrets-dir",
            paramLabel = "DIR",
            description = {
                "Secrets for --platform-secret, laid out as a mounted Kubernetes Secret:",
                "DIR/<namespace>/<name>/<key>; variables KBR_SECRET_<NAMESPACE>_<NAME>_<KEY> also work and win."
            })
    Path secretsDir;

    @Option(
            names = "--ca-file",
            paramLabel = "PATH",
            description = "PEM CA certificates to trust for an https --platform (default: $GIT_SSL_CAINFO).")
    Path caFile;

    @Option(
            names = "--cache-dir",
            paramLabel = "DIR",
            description = "Keep a Git --platform's local repository here between runs (default: $KBR_CACHE_DIR).")
    Path cacheDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PlatformCheck.Result result;
        try (PlatformSource source = platform.open(
                new MountedSecrets(Optional.ofNullable(secretsDir), System.getenv()),
                StateStoreCredentials.caFile(caFile, System.getenv()),
                Adapters.cacheDir(cacheDir))) {
            result = PlatformCheck.run(source);
        }
        PrintWriter out = spec.commandLine().getOut();
        for (Diagnostic diagnostic : result.diagnostics()) {
            out.println(diagnostic);
        }
        out.println(count(result.errors(), "error") + ", " + count(result.warnings(), "warning") + " in "
                + count(result.files(), "file"));
        return result.hasErrors() ? Main.ERROR : Main.OK;
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
