package dev.kbr.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged {@code kbr.jar} (Failsafe's {@code kbr.jar} property) as a separate JVM, as a
 * CI job or CronJob would, so tests can run several at once or kill one with SIGKILL. Each
 * process gets its own {@code java.io.tmpdir} when given, and its output goes to a file (a full
 * pipe never blocks it).
 */
public final class KbrJar {
    private KbrJar() {}

    /** The shaded jar built by {@code package}; fails the test when it is missing. */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("kbr.jar", "target/kbr.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing: run the ITs through mvn verify, which packages it first");
        }
        return jar;
    }

    /** A started kbr process and the file its stdout and stderr go to. */
    public record Started(Process process, Path log) {
        /** Waits at most {@code seconds}, failing the test when it is still running then. */
        public Processes.Result await(long seconds) throws IOException, InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("kbr did not finish within " + seconds + " s:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Processes.Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        }

        public long pid() {
            return process.pid();
        }
    }

    /**
     * Starts {@code java -jar kbr.jar ARGS} with flags for a quick start (short runs: C1 only,
     * serial GC).
     *
     * @param tmpdir the process's {@code java.io.tmpdir}, or null for the default
     * @param log where its output goes (replaced)
     */
    public static Started start(Path tmpdir, Path log, List<String> args) throws IOException {
        return start(tmpdir, log, args, Map.of());
    }

    /**
     * {@link #start(Path, Path, List)} with these environment variables added (after the
     * inherited {@code GIT_*} and {@code KBR_*} ones are removed), e.g. {@code KBR_SECRET_*}.
     */
    public static Started start(Path tmpdir, Path log, List<String> args, Map<String, String> environment)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xshare:auto"));
        if (tmpdir != null) {
            command.add("-Djava.io.tmpdir=" + tmpdir);
        }
        command.addAll(List.of("-jar", jar().toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().keySet().removeIf(key -> key.startsWith("GIT_") || key.startsWith("KBR_"));
        builder.environment().putAll(environment);
        return new Started(builder.start(), log);
    }
}
