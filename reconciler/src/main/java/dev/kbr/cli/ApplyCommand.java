package dev.kbr.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kbr apply}: the plan, then one commit per state store, pushed with a lease. */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = {
            "Run the pass and commit the changes to the state stores.",
            "One commit per state store, pushed only if the branch has not moved since it was read.",
            "Nothing is committed when nothing changed.",
            "With PLANFILE (from kbr plan --out), commit exactly that plan instead, or nothing if it is stale."
        })
final class ApplyCommand extends PassCommand {
    @CommandLine.Parameters(
            arity = "0..1",
            paramLabel = "PLANFILE",
            description = {
                "A plan saved by kbr plan --out: commit exactly it, running no pipeline. Refused, with",
                "nothing written, when the platform or any state store's branch moved since the plan."
            })
    Path planFile;

    @CommandLine.Option(
            names = "--accept-dry-run-outputs",
            description = "With PLANFILE: commit it although its outputs were made by pipelines run with"
                    + " KRATIX_DRY_RUN=true (every pipeline kbr plan runs). Without it such a plan is refused: a"
                    + " pipeline that skips side effects in a dry run would never make them. Use it only when your"
                    + " pipelines make the same output in a dry run.")
    boolean acceptDryRunOutputs;

    @Override
    boolean acceptDryRunOutputs() {
        return acceptDryRunOutputs;
    }

    @Override
    boolean apply() {
        return true;
    }

    @Override
    Optional<Path> savedPlan() {
        return Optional.ofNullable(planFile);
    }
}
