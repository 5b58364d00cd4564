package dev.kbr.cli;

import dev.kbr.engine.RenderWorkflow;
import dev.kbr.load.PlatformSource;
import dev.kbr.pipeline.ContainerLog;
import dev.kbr.pipeline.PipelineResult;
import dev.kbr.pipeline.PipelineRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kbr render}: one object's configure workflow into a folder, for Promise authors. */
@Command(
        name = "render",
        mixinStandardHelpOptions = true,
        description = {
            "Run one object's configure workflow and write what each pipeline saw and produced to a folder.",
            "Without --request, the Promise's promise.configure pipelines; with it, the request's",
            "resource.configure pipelines. Pipelines run as in a plan (same runner, input object, KRATIX_*",
            "variables with KRATIX_DRY_RUN=true, and Secrets), each with a fresh /kratix/output.",
            "Writes OUT/<n>-<pipeline>/input/object.yaml,",
            "OUT/<n>-<pipeline>/output/... and OUT/<n>-<pipeline>/metadata/..., and prints each pipeline, its",
            "containers, the files written and the Destinations each output group would go to.",
            "Reads and writes no state store, so placement ignores earlier placements. Exits 1 when a",
            "pipeline fails (its logs are printed; what earlier pipelines wrote is kept)."
        })
final class RenderCommand implements Callable<Integer> {
    /** The folders a render writes, {@code <n>-<pipeline>}; only these are replaced by --force. */
    private static final Pattern STEP_FOLDER = Pattern.compile("\\d+-[a-z0-9.-]+");

    @CommandLine.Mixin
    PlatformOptions platform;

    @CommandLine.Mixin
    InputOptions inputs;

    @CommandLine.Mixin
    RunnerOptions pipelines;

    @Option(
            names = "--promise",
            required = true,
            paramLabel = "NAME",
            description = "The Promise whose workflow runs (metadata.name).")
    String promise;

    @Option(
            names = "--request",
            paramLabel = "FILE",
            description = {
                "A resource request of --promise (one YAML document, need not be in the platform):",
                "run its resource.configure pipelines instead of the Promise's promise.configure ones."
            })
    Path request;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Folder to write to; created when missing, and must be empty unless --force is given.")
    Path out;

    @Option(
            names = "--force",
            description = {
                "Write into a non-empty --out: folders of an earlier render (<n>-<pipeline>) are replaced,",
                "other files are left alone."
            })
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter stdout = spec.commandLine().getOut();
        Optional<RenderWorkflow.RequestFile> requestFile = Optional.empty();
        if (request != null) {
            if (!Files.isRegularFile(request)) {
                throw new IOException("--request " + request + " is not a file; give the YAML file of a resource"
                        + " request of Promise " + promise);
            }
            requestFile = Optional.of(new RenderWorkflow.RequestFile(request.toString(), Files.readAllBytes(request)));
        }
        prepareOut();
        MountedSecrets secrets = inputs.secrets();
        RenderWorkflow.Result result;
        try (PlatformSource source = platform.open(secrets, inputs.caFile(), inputs.cacheDir());
                PipelineRunner runner = Adapters.pipelineRunner(pipelines)) {
            result = RenderWorkflow.run(
                    source,
                    promise,
                    requestFile,
                    runner,
                    secrets,
                    pipelines.pipelineTimeout,
                    step -> print(stdout, step, write(step)));
        }
        stdout.println((result.failed() ? "Failed: " : "Rendered ") + result.object() + " " + result.workflow()
                + " (" + result.steps().size() + " pipeline" + (result.steps().size() == 1 ? "" : "s")
                + ") into " + out);
        return result.failed() ? Main.ERROR : Main.OK;
    }

    /** Makes sure {@code --out} exists and may be written; clears an earlier render with --force. */
    private void prepareOut() throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IOException("--out " + out + " is a file; give a folder");
        }
        Files.createDirectories(out);
        List<Path> entries;
        try (Stream<Path> list = Files.list(out)) {
            entries = list.sorted().toList();
        }
        if (entries.isEmpty()) {
            return;
        }
        if (!force) {
            throw new IOException("--out " + out + " is not empty (" + entries.size() + " entries, e.g. "
                    + entries.get(0).getFileName() + "); give an empty or new folder, or --force to replace an"
                    + " earlier render there");
        }
        for (Path entry : entries) {
            if (Files.isDirectory(entry)
                    && STEP_FOLDER.matcher(entry.getFileName().toString()).matches()) {
                deleteTree(entry);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            Files.delete(p);
        }
    }

    /** Writes a step's folder; returns the files written, relative to {@code --out}. */
    private List<String> write(RenderWorkflow.Step step) throws IOException {
        String folder = step.number() + "-" + step.pipeline();
        List<String> written = new ArrayList<>();
        written.add(writeFile(folder, "input/object.yaml", step.objectYaml()));
        if (step.result().isPresent() && step.result().get() instanceof PipelineResult.Succeeded ok) {
            for (Map.Entry<String, byte[]> file : ok.output().entrySet()) {
                written.add(writeFile(folder, "output/" + file.getKey(), file.getValue()));
            }
            for (Map.Entry<String, byte[]> file : ok.metadata().entrySet()) {
                written.add(writeFile(folder, "metadata/" + file.getKey(), file.getValue()));
            }
        }
        return written;
    }

    private String writeFile(String folder, String relative, byte[] bytes) throws IOException {
        Path root = out.toAbsolutePath().normalize();
        Path target = root.resolve(folder).resolve(relative).normalize();
        // The runner already rejects escaping paths; this keeps the folder safe regardless.
        if (!target.startsWith(root.resolve(folder))) {
            throw new IOException("pipeline output path " + relative + " leaves " + root.resolve(folder));
        }
        Files.createDirectories(target.getParent());
        Files.write(target, bytes);
        return folder + "/" + relative;
    }

    private static void print(PrintWriter stdout, RenderWorkflow.Step step, List<String> written) {
        String header = step.number() + "-" + step.pipeline() + ": ";
        Optional<PipelineResult> result = step.result();
        String duration = result.map(r -> " in " + seconds(r)).orElse("");
        if (step.failure().isPresent()) {
            stdout.println(header + "failed" + duration + ": " + step.failure().get());
        } else if (step.suspended().isPresent()) {
            stdout.println(header + "succeeded" + duration + " and suspended the workflow: "
                    + step.suspended().get());
        } else {
            stdout.println(header + "succeeded" + duration);
        }
        for (ContainerLog log : result.map(PipelineResult::logs).orElse(List.of())) {
            stdout.println("  container " + log.container() + ": exit " + log.exitCode());
            if (step.failure().isPresent() && !log.text().isBlank()) {
                for (String line : log.text().strip().split("\n", -1)) {
                    stdout.println("    | " + line);
                }
            }
        }
        stdout.println("  files:");
        for (String file : written) {
            stdout.println("    " + file);
        }
        for (RenderWorkflow.Group group : step.groups()) {
            stdout.println(
                    "  output group " + group.directory() + " (" + group.files().size() + " file"
                            + (group.files().size() == 1 ? "" : "s") + ") -> "
                            + (group.destinations().isEmpty()
                                    ? "no Destination matches (unscheduled)"
                                    : String.join(", ", group.destinations())));
        }
        stdout.flush();
    }

    private static String seconds(PipelineResult result) {
        return String.format(java.util.Locale.ROOT, "%.1fs", result.duration().toMillis() / 1000.0);
    }
}
