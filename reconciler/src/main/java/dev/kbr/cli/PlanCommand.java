package dev.kbr.cli;

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
    @Override
    boolean apply() {
        return false;
    }
}
