package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kbr.testsupport.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code docs/cli.md} is generated from the picocli commands, so the reference cannot drift from
 * the code. Regenerate with {@code mvn -pl reconciler test -Dtest=CliReferenceTest -Dkbr.updateDocs=true}.
 */
class CliReferenceTest {
    private static final Path REFERENCE = SharedFiles.repoRoot().resolve("docs/cli.md");

    static String render() {
        CommandLine root = Main.commandLine();
        StringBuilder md = new StringBuilder();
        md.append("# CLI reference\n\n")
                .append("Generated from the code by `CliReferenceTest`; do not edit by hand.\n")
                .append("The launcher `./kbr` builds the jar when needed and passes its arguments on;\n")
                .append("`./kbr demo` runs the demo (see getting-started.md).\n\n")
                .append("## kbr\n\n```\n")
                .append(root.getUsageMessage(CommandLine.Help.Ansi.OFF))
                .append("```\n");
        for (var entry : root.getSubcommands().entrySet()) {
            if (entry.getKey().equals("help")) {
                continue;
            }
            md.append("\n## kbr ")
                    .append(entry.getKey())
                    .append("\n\n```\n")
                    .append(entry.getValue().getUsageMessage(CommandLine.Help.Ansi.OFF))
                    .append("```\n");
        }
        return md.toString();
    }

    @Test
    void docsCliMdIsCurrent() throws IOException {
        String expected = render();
        if (Boolean.getBoolean("kbr.updateDocs")) {
            Files.writeString(REFERENCE, expected);
        }
        assertThat(Files.exists(REFERENCE)).as("docs/cli.md exists").isTrue();
        assertThat(Files.readString(REFERENCE))
                .as("docs/cli.md is stale; regenerate it with -Dkbr.updateDocs=true (see this test's Javadoc)")
                .isEqualTo(expected);
    }
}
