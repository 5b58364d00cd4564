package dev.kbr.cli;

import picocli.CommandLine.Command;

/** {@code kbr apply}: the plan, then one commit per state store, pushed with a lease. */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = {
            "Run the pass and commit the changes to the state stores.",
            "One commit per state store, pushed only if the branch has not moved since it was read.",
            "Nothing is committed when nothing changed."
        })
final class ApplyCommand extends PassCommand {
    @Override
    boolean apply() {
        return true;
    }
}
