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
            "changed (~) or deleted (-), with a unified diff of changed files, and a summary line.",
            "Pipelines run with KRATIX_DRY_RUN=true, so they can skip side effects."
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

    @CommandLine.Option(
            names = "--explain",
            description = "Before the diff, print the pass's plan, decided before any pipeline runs: one line per"
                    + " Promise, request and recorded object gone from the platform, in the order the pass takes"
                    + " them, saying what it does and why (run (new), run (input changed), cached, invalid, held,"
                    + " waiting, delete). With --output json it goes to stderr.")
    boolean explain;

    @Override
    boolean explain() {
        return explain;
    }

    @Override
    boolean apply() {
        return false;
    }

    @Override
    Optional<Path> saveTo() {
        return Optional.ofNullable(out);
    }
}
