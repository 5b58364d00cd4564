package dev.kbr.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs real programs (git, tar, flux-build) from tests, bounded in time. */
public final class Processes {
    private Processes() {}

    /**
     * What a program did.
     *
     * @param exitCode its exit code
     * @param output stdout and stderr, merged
     */
    public record Result(int exitCode, String output) {}

    /** Runs {@code command} in {@code dir}, waiting at most two minutes. */
    public static Result run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Runs {@code command} and returns its output, failing when it exits non-zero. */
    public static String check(Path dir, String... command) throws IOException, InterruptedException {
        Result result = run(dir, List.of(command));
        if (result.exitCode() != 0) {
            throw new AssertionError(
                    String.join(" ", command) + " exited " + result.exitCode() + ":\n" + result.output());
        }
        return result.output();
    }
}
