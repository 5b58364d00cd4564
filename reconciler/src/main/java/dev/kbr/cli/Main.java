package dev.kbr.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code kbr}. */
@Command(
        name = "kbr",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        subcommands = {
            ValidateCommand.class,
            PlanCommand.class,
            ApplyCommand.class,
            StatusCommand.class,
            RenderCommand.class,
            CommandLine.HelpCommand.class
        },
        description = {
            "Kratix Batch Reconciler: runs Kratix Promises without a platform cluster.",
            "Reads Promises, resource requests, Destinations and state stores from a platform folder,",
            "runs the Promise workflows' pipeline containers, and writes Kratix's state-store layout",
            "to each GitStateStore in one commit, or to each BucketStateStore (S3, MinIO)."
        },
        footer = {"", "Exit codes: 0 success, 1 error, 2 changes present (only with --detailed-exitcode)."})
public final class Main implements Runnable {
    /** Exit code for success (and "no changes"). */
    public static final int OK = 0;

    /** Exit code for any error: bad input, failed pipeline, unreachable store, bad usage. */
    public static final int ERROR = 1;

    /** Exit code when a plan or apply has changes and {@code --detailed-exitcode} was given. */
    public static final int CHANGES = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Environment environment;

    private Main(Environment environment) {
        this.environment = environment;
    }

    /** The environment the commands read (variables, whether this is a terminal). */
    Environment environment() {
        return environment;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(out, err, Environment.system(), args));
    }

    /**
     * Runs {@code kbr} with the given arguments, writing only to {@code out} and {@code err}, so
     * tests can drive the whole command line in memory.
     *
     * @return the exit code
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(out, err, Environment.system(), args);
    }

    /**
     * Runs {@code kbr} as {@link #run(PrintWriter, PrintWriter, String...)} does, reading {@code
     * environment} instead of the process's own (for {@code GITHUB_STEP_SUMMARY}, {@code NO_COLOR}
     * and the terminal check).
     *
     * @return the exit code
     */
    public static int run(PrintWriter out, PrintWriter err, Environment environment, String... args) {
        CommandLine cli = commandLine(environment);
        cli.setOut(out);
        cli.setErr(err);
        // Usage errors are errors (1): 2 means "changes present" in kbr, as in Terraform.
        cli.setParameterExceptionHandler((ex, arguments) -> {
            err.println("Error: " + ex.getMessage());
            ex.getCommandLine().usage(err);
            return ERROR;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            err.println("Error: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            return ERROR;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The configured picocli command line (also used to generate the CLI reference). */
    public static CommandLine commandLine() {
        return commandLine(Environment.system());
    }

    private static CommandLine commandLine(Environment environment) {
        return new CommandLine(new Main(environment)).setUsageHelpWidth(100);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "Missing command: use validate, plan, apply, status or render");
    }

    /** Reads the version from the jar manifest, or says it is a development build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"kbr " + (v != null ? v : "development build")};
        }
    }
}
