package dev.kbr.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kbr plan}: a dry run that prints the state diff and pushes nothing. */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        description = {
            "Dry run: print the state diff and push nothing.",
            "Runs what must run, then prints per Destination each file that would be added (+),",
            "changed (~) or deleted (-), with a unified diff of changed files, and a summary line."
        })
final class PlanCommand extends PassCommand {
    @CommandLine.Option(
            names = "--out",
            paramLabel = "FILE",
            description = {
                "Also save the plan to FILE (JSON, mode 0600: it holds the new files' content), so that",
                "kbr apply FILE commits exactly it later, or refuses when the platform or a state store",
                "moved in between. Not saved when the plan has errors."
            })
    Path out;

    @Override
    boolean apply() {
        return false;
    }

    @Override
    Optional<Path> saveTo() {
        return Optional.ofNullable(out);
    }
}
