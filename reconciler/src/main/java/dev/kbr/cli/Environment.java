package dev.kbr.cli;

import java.util.Map;
import java.util.Optional;

/**
 * What {@code kbr} reads from the process it runs in, passed in so tests can give their own
 * instead of the real environment.
 *
 * @param variables environment variables
 * @param terminal true when stdout and stderr are a person's terminal: then the report may be
 *     coloured and progress is one line rewritten in place
 */
public record Environment(Map<String, String> variables, boolean terminal) {
    /** The file GitHub Actions reads a job's Markdown summary from. */
    static final String STEP_SUMMARY = "GITHUB_STEP_SUMMARY";

    public Environment {
        variables = Map.copyOf(variables);
    }

    /**
     * The real process: its environment, and a terminal when Java sees a console (stdin and
     * stdout both terminals; Java 17 cannot ask about stderr alone) and {@code TERM} is not
     * {@code dumb}.
     */
    public static Environment system() {
        Map<String, String> env = System.getenv();
        return new Environment(env, System.console() != null && !"dumb".equals(env.get("TERM")));
    }

    /** Not a terminal, with only these variables (for tests and embedding). */
    public static Environment of(Map<String, String> variables) {
        return new Environment(variables, false);
    }

    /** A variable, empty when unset or empty. */
    Optional<String> get(String name) {
        String value = variables.get(name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /**
     * Whether the human report is coloured: only on a terminal, and never with {@code --no-color}
     * or a non-empty {@code NO_COLOR} (no-color.org).
     */
    boolean colour(boolean noColorOption) {
        return terminal && !noColorOption && get("NO_COLOR").isEmpty();
    }
}
