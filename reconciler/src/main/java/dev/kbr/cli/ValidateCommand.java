package dev.kbr.cli;

import dev.kbr.engine.PlatformCheck;
import dev.kbr.model.Diagnostic;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kbr validate}: check the platform folder; run nothing, touch no state store. */
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
    @Option(
            names = "--platform",
            required = true,
            paramLabel = "DIR",
            description = "Platform repo folder: Promises, resource requests, Destinations and state stores.")
    Path platform;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(platform)) {
            throw new IOException("platform folder " + platform
                    + " does not exist or is not a directory; pass the folder holding your Promises with --platform");
        }
        PlatformCheck.Result result = PlatformCheck.run(platform);
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
