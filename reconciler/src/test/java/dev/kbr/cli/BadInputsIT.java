package dev.kbr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.kbr.testsupport.SharedFiles;
import dev.kbr.testsupport.StateRepo;
import dev.kbr.testsupport.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5 item 8: hundreds of malformed platform repos, generated deterministically from the seeds
 * platform by mutation operators applied to each of its files, each applied (and every eighth one
 * planned) against a state store that a clean apply of the seeds populated once (real pipelines on
 * the Docker engine, real bare repo). Every case must exit 1 with a {@code <file>:<line>}
 * diagnostic naming the mutated file, print no Java exception, commit nothing and delete nothing.
 * The state is converged and a broken object is held, so no case runs a container.
 */
class BadInputsIT {
    private static final Path SEEDS = SharedFiles.repoRoot().resolve("fixtures/platforms/seeds");
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build());
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @TempDir
    static Path tmp;

    private static StateRepo repo;
    private static Path platform;
    private static Path cache;
    private static String head;
    private static List<String> tree;
    private static Map<String, String> originals = new TreeMap<>();

    /** One malformed platform: {@code file} replaced by {@code content}. */
    record Case(String category, String file, String what, byte[] content) {}

    @BeforeAll
    static void populate() throws Exception {
        repo = StateRepo.bare(tmp);
        platform = Trees.copy(SEEDS, tmp.resolve("seeds"));
        cache = tmp.resolve("cache");
        StateRepo.Run first = repo.kbr(platform, "apply", "--cache-dir", cache.toString());
        assertThat(first.exitCode()).as(first.out()).isZero();
        head = repo.git("rev-parse", "main").strip();
        tree = repo.tree();
        try (var files = Files.walk(platform)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                originals.put(platform.relativize(file).toString(), Files.readString(file));
            }
        }
    }

    @Test
    void everyMalformedPlatformIsRejectedWithADiagnosticAndChangesNothing() throws Exception {
        // Re-emitting a file through the generator unchanged must be a no-op, or the structural
        // mutations below would test the emitter rather than kbr.
        for (String file : originals.keySet()) {
            Path path = platform.resolve(file);
            Files.writeString(path, emit(parse(originals.get(file))));
            StateRepo.Run run = repo.kbr(platform, "apply", "--cache-dir", cache.toString());
            Files.writeString(path, originals.get(file));
            assertThat(run.exitCode()).as(file + " re-emitted\n" + run.out()).isZero();
            assertThat(repo.git("rev-parse", "main").strip())
                    .as(file + " re-emitted")
                    .isEqualTo(head);
        }

        List<Case> all = cases();
        assertThat(all.size()).isGreaterThanOrEqualTo(500);
        // -Dkbr.badInputs.every=N runs every Nth case, for a quick look on a busy machine; CI
        // runs them all.
        int every = Integer.getInteger("kbr.badInputs.every", 1);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < all.size(); i += every) {
            cases.add(all.get(i));
        }
        Map<String, Integer> categories = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int exit1 = 0;
        int diagnostics = 0;
        int exceptions = 0;
        int commits = 0;
        int deletions = 0;
        int pipelines = 0;
        long started = System.nanoTime();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            long caseStarted = System.nanoTime();
            categories.merge(c.category(), 1, Integer::sum);
            Path path = platform.resolve(c.file());
            Files.write(path, c.content());
            List<StateRepo.Run> runs = new ArrayList<>();
            if (i % 8 == 0) {
                runs.add(repo.kbr(platform, "plan", "--cache-dir", cache.toString()));
            }
            runs.add(repo.kbr(platform, "apply", "--cache-dir", cache.toString()));
            Files.writeString(path, originals.get(c.file()));
            String label = c.category() + " " + c.file() + " (" + c.what() + ")";
            boolean allExit1 = true;
            boolean allDiagnosed = true;
            for (StateRepo.Run run : runs) {
                String out = run.out();
                if (run.exitCode() != 1) {
                    allExit1 = false;
                    failures.add(label + ": exit " + run.exitCode() + "\n" + out);
                }
                if (!diagnosed(out, c.file())) {
                    allDiagnosed = false;
                    failures.add(label + ": no <file>:<line> diagnostic naming " + c.file() + "\n" + out);
                }
                if (out.lines().anyMatch(l -> l.startsWith("  ok     ") || l.startsWith("  FAILED "))) {
                    pipelines++;
                    failures.add(label + ": ran a pipeline, though the state was converged\n" + out);
                }
                if (out.contains("Exception") || out.contains("\tat ")) {
                    exceptions++;
                    failures.add(label + ": exception\n" + out);
                }
            }
            long millis = (System.nanoTime() - caseStarted) / 1_000_000;
            if (millis > 5_000 || i % 100 == 99) {
                System.out.printf(
                        "BadInputsIT: case %d/%d %s took %d ms (%d s so far)%n",
                        i + 1, cases.size(), label, millis, (System.nanoTime() - started) / 1_000_000_000);
            }
            exit1 += allExit1 ? 1 : 0;
            diagnostics += allDiagnosed ? 1 : 0;
            String now = repo.git("rev-parse", "main").strip();
            if (!now.equals(head)) {
                commits++;
                failures.add(label + ": committed " + now);
                List<String> after = repo.tree();
                if (!after.containsAll(tree)) {
                    deletions++;
                }
                // Put the store back so one bad case does not spoil the others.
                repo.git("update-ref", "refs/heads/main", head);
            }
        }
        System.out.printf(
                (every == 1 ? "" : "BadInputsIT: a sample, every " + every + "th of " + all.size() + " cases\n")
                        + "BadInputsIT: cases=%d exit1=%d diagnostics=%d exceptions=%d commits=%d deletions=%d pipelines=%d%n",
                cases.size(),
                exit1,
                diagnostics,
                exceptions,
                commits,
                deletions,
                pipelines);
        categories.forEach((k, v) -> System.out.printf("BadInputsIT:   %-22s %d%n", k, v));
        assertThat(failures)
                .as(failures.size() + " failures; first ones:\n"
                        + String.join("\n----\n", failures.subList(0, Math.min(15, failures.size()))))
                .isEmpty();
    }

    /** True when a line of {@code out} names {@code file} with a line number of at least 1. */
    private static boolean diagnosed(String out, String file) {
        Matcher m = Pattern.compile(Pattern.quote(file) + ":(\\d+)").matcher(out);
        while (m.find()) {
            if (Integer.parseInt(m.group(1)) >= 1) {
                return true;
            }
        }
        return false;
    }

    // --- the generator -----------------------------------------------------------------------

    private static List<Case> cases() throws IOException {
        Random random = new Random(5);
        List<Case> cases = new ArrayList<>();
        for (Map.Entry<String, String> entry : originals.entrySet()) {
            String file = entry.getKey();
            String text = entry.getValue();
            for (int variant = 0; variant < 2; variant++) {
                brokenYaml(file, text, random, cases);
            }
            for (int variant = 0; variant < 3; variant++) {
                oversized(file, text, variant, cases);
            }
            JsonNode doc = parse(text);
            for (String field : wrongTypeFields(doc)) {
                JsonNode current = at(doc, field);
                for (JsonNode wrong : wrongValues(current)) {
                    cases.add(structural("wrong type", file, doc, field + " = " + wrong, d -> set(d, field, wrong)));
                }
            }
            for (String field : requiredFields(doc)) {
                cases.add(structural("missing field", file, doc, "no " + field, d -> remove(d, field)));
            }
            for (Map.Entry<String, JsonNode> unknown : unknownKinds(doc).entrySet()) {
                String[] parts = unknown.getKey().split("=", 2);
                cases.add(structural(
                        "unknown kind/apiVersion",
                        file,
                        doc,
                        unknown.getKey(),
                        d -> set(d, parts[0], unknown.getValue())));
            }
            references(file, doc, cases);
        }
        return cases;
    }

    /** Syntax errors: each variant picks its own line with {@code random}. */
    private static void brokenYaml(String file, String text, Random random, List<Case> cases) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        // unclosed quote: a value opens a double-quoted scalar that never ends
        List<Integer> values = matching(lines, "^\\s*(- )?[A-Za-z][\\w.-]*: [^\"'\\[{&*|>#].*$");
        int v = values.get(random.nextInt(values.size()));
        List<String> quoted = new ArrayList<>(lines);
        quoted.set(v, quoted.get(v).replaceFirst(": ", ": \""));
        cases.add(text("broken YAML", file, "unclosed quote at line " + (v + 1), String.join("\n", quoted)));

        // bad indentation: a key indented one space deeper than its sibling above
        List<Integer> siblings = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (keyColumn(lines.get(i)) >= 0
                    && keyColumn(lines.get(i)) == keyColumn(lines.get(i - 1))
                    && lines.get(i - 1).matches(".*: \\S.*")
                    && !lines.get(i).trim().startsWith("- ")) {
                siblings.add(i);
            }
        }
        int s = siblings.get(random.nextInt(siblings.size()));
        List<String> indented = new ArrayList<>(lines);
        indented.set(s, " " + indented.get(s));
        cases.add(text("broken YAML", file, "bad indentation at line " + (s + 1), String.join("\n", indented)));

        // a tab in the indentation
        List<Integer> nested = matching(lines, "^  +[A-Za-z-].*$");
        int t = nested.get(random.nextInt(nested.size()));
        List<String> tabbed = new ArrayList<>(lines);
        tabbed.set(t, "\t" + tabbed.get(t).stripLeading());
        cases.add(text("broken YAML", file, "tab at line " + (t + 1), String.join("\n", tabbed)));

        // truncated: the file written in flow (JSON) style, cut off part way
        String flow;
        try {
            flow = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(parse(text));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int cut = flow.length() / 4 + random.nextInt(flow.length() * 3 / 4 - 2);
        cases.add(text("broken YAML", file, "flow style cut at " + cut, flow.substring(0, cut)));

        // an unclosed flow sequence
        int f = values.get(random.nextInt(values.size()));
        List<String> bracket = new ArrayList<>(lines);
        bracket.set(f, bracket.get(f).replaceFirst(": ", ": [") + ", x");
        cases.add(text("broken YAML", file, "unclosed [ at line " + (f + 1), String.join("\n", bracket)));

        // bytes that are not UTF-8, and a control character
        int b = values.get(random.nextInt(values.size()));
        byte[] before = (String.join("\n", lines.subList(0, b)) + "\n" + lines.get(b)).getBytes(StandardCharsets.UTF_8);
        byte[] after =
                ("\n" + String.join("\n", lines.subList(b + 1, lines.size())) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] bad = new byte[before.length + 2 + after.length];
        System.arraycopy(before, 0, bad, 0, before.length);
        bad[before.length] = (byte) 0xC3;
        bad[before.length + 1] = (byte) 0x28;
        System.arraycopy(after, 0, bad, before.length + 2, after.length);
        cases.add(new Case("not UTF-8 / control", file, "invalid UTF-8 at line " + (b + 1), bad));
        int c = values.get(random.nextInt(values.size()));
        List<String> control = new ArrayList<>(lines);
        control.set(c, control.get(c) + "\u0007");
        cases.add(text("not UTF-8 / control", file, "BEL at line " + (c + 1), String.join("\n", control)));
    }

    /** A 10 MB value, 10,000 levels of nesting, and a billion-laughs alias bomb. */
    private static void oversized(String file, String text, int variant, List<Case> cases) {
        String body = text.endsWith("\n") ? text : text + "\n";
        switch (variant) {
            case 0 ->
                cases.add(text(
                        "oversized",
                        file,
                        "10 MB annotation",
                        body.replaceFirst(
                                "\nmetadata:\n",
                                "\nmetadata:\n  annotations:\n    big: " + "x".repeat(10_000_000) + "\n")));
            case 1 ->
                cases.add(text(
                        "oversized",
                        file,
                        "10,000 levels of nesting",
                        body + "deep: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n"));
            default -> {
                StringBuilder bomb = new StringBuilder("lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
                for (int i = 1; i < 10; i++) {
                    bomb.append("lol").append(i).append(": &l").append(i).append(" [");
                    for (int j = 0; j < 9; j++) {
                        bomb.append(j == 0 ? "" : ", ").append("*l").append(i - 1);
                    }
                    bomb.append("]\n");
                }
                cases.add(text("oversized", file, "billion laughs", body + bomb));
            }
        }
    }

    /** Fields Kubernetes would refuse to decode with a value of the wrong type. */
    private static List<String> wrongTypeFields(JsonNode doc) {
        List<String> fields = new ArrayList<>(List.of("apiVersion", "kind", "metadata", "metadata.name"));
        switch (doc.path("kind").asText()) {
            case "Promise" ->
                fields.addAll(List.of(
                        "spec",
                        "spec.destinationSelectors",
                        "spec.destinationSelectors.0",
                        "spec.destinationSelectors.0.matchLabels",
                        "spec.workflows",
                        "spec.workflows.promise",
                        "spec.workflows.promise.configure",
                        "spec.workflows.resource.configure",
                        "spec.workflows.resource.configure.0.spec.containers",
                        "spec.workflows.resource.configure.0.spec.containers.0.image",
                        "spec.workflows.resource.configure.0.metadata.name",
                        "spec.api.spec.group",
                        "spec.api.spec.names.kind",
                        "spec.api.spec.versions",
                        "spec.requiredPromises"));
            case "Destination" ->
                fields.addAll(List.of(
                        "spec",
                        "spec.path",
                        "spec.stateStoreRef",
                        "spec.stateStoreRef.name",
                        "spec.strictMatchLabels",
                        "metadata.labels"));
            case "GitStateStore" -> fields.addAll(List.of("spec", "spec.branch", "spec.url"));
            default -> {
                fields.addAll(List.of("metadata.namespace", "spec"));
                doc.path("spec").fieldNames().forEachRemaining(name -> fields.add("spec." + name));
            }
        }
        return fields.stream().filter(f -> !at(doc, f).isMissingNode()).toList();
    }

    /** Up to two values of another type than {@code current}. */
    private static List<JsonNode> wrongValues(JsonNode current) {
        if (current.isObject()) {
            return List.of(F.textNode("oops"), F.arrayNode().add("a"));
        }
        if (current.isArray()) {
            return List.of(F.textNode("oops"), F.objectNode().put("a", "b"));
        }
        if (current.isBoolean()) {
            return List.of(F.textNode("maybe"), F.arrayNode().add(true));
        }
        return List.of(F.numberNode(42), F.objectNode().put("a", "b"));
    }

    private static List<String> requiredFields(JsonNode doc) {
        List<String> fields = new ArrayList<>(List.of("apiVersion", "kind", "metadata", "metadata.name"));
        switch (doc.path("kind").asText()) {
            case "Promise" ->
                fields.addAll(List.of(
                        "spec.api.spec.group",
                        "spec.api.spec.names",
                        "spec.api.spec.names.kind",
                        "spec.api.spec.versions",
                        "spec.workflows.promise.configure.0.metadata.name",
                        "spec.workflows.resource.configure.0.spec.containers",
                        "spec.workflows.resource.configure.0.spec.containers.0.image",
                        "spec.workflows.resource.configure.0.spec.containers.0.name"));
            case "Destination" ->
                fields.addAll(
                        List.of("spec", "spec.stateStoreRef", "spec.stateStoreRef.name", "spec.stateStoreRef.kind"));
            // spec.url is not required by kbr: --state-url gives it (as in this test).
            default -> {}
        }
        return fields.stream().filter(f -> !at(doc, f).isMissingNode()).toList();
    }

    private static Map<String, JsonNode> unknownKinds(JsonNode doc) {
        Map<String, JsonNode> changes = new TreeMap<>();
        String kind = doc.path("kind").asText();
        String apiVersion = doc.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        changes.put("kind=" + kind + "x", F.textNode(kind + "x"));
        changes.put(
                "kind=other case",
                F.textNode(
                        kind.toLowerCase(java.util.Locale.ROOT).equals(kind)
                                ? kind.toUpperCase(java.util.Locale.ROOT)
                                : kind.toLowerCase(java.util.Locale.ROOT)));
        changes.put("apiVersion=" + group + "/v9", F.textNode(group + "/v9"));
        changes.put(
                "apiVersion=typo", F.textNode(group.replaceFirst("\\.", ".x") + apiVersion.substring(group.length())));
        return changes;
    }

    /** Names of things that do not exist. */
    private static void references(String file, JsonNode doc, List<Case> cases) throws IOException {
        switch (doc.path("kind").asText()) {
            case "Destination" -> {
                cases.add(structural(
                        "missing reference",
                        file,
                        doc,
                        "stateStoreRef.name = missing",
                        d -> set(d, "spec.stateStoreRef.name", F.textNode("missing"))));
                cases.add(structural(
                        "missing reference",
                        file,
                        doc,
                        "stateStoreRef.kind = BucketStateStore",
                        d -> set(d, "spec.stateStoreRef.kind", F.textNode("BucketStateStore"))));
                cases.add(structural(
                        "missing reference",
                        file,
                        doc,
                        "stateStoreRef.kind = Nonsense",
                        d -> set(d, "spec.stateStoreRef.kind", F.textNode("Nonsense"))));
            }
            case "Promise" -> {
                ArrayNode required = F.arrayNode();
                required.addObject().put("name", "missing-promise").put("version", "v1.0.0");
                cases.add(structural(
                        "missing reference",
                        file,
                        doc,
                        "requiredPromises missing-promise",
                        d -> set(d, "spec.requiredPromises", required)));
            }
            default -> {}
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    private static Case text(String category, String file, String what, String content) {
        return new Case(category, file, what, content.getBytes(StandardCharsets.UTF_8));
    }

    private static Case structural(
            String category, String file, JsonNode doc, String what, UnaryOperator<JsonNode> op) {
        JsonNode copy = op.apply(doc.deepCopy());
        return text(category, file, what, emit(copy));
    }

    private static JsonNode parse(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String emit(JsonNode doc) {
        try {
            return YAML.writeValueAsString(doc);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Integer> matching(List<String> lines, String regex) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches(regex)) {
                found.add(i);
            }
        }
        return found;
    }

    private static int keyColumn(String line) {
        Matcher m = Pattern.compile("^(\\s*(?:- )?)[A-Za-z][\\w.-]*:( |$)").matcher(line);
        return m.find() ? m.group(1).length() : -1;
    }

    private static JsonNode at(JsonNode doc, String field) {
        JsonNode node = doc;
        for (String part : field.split("\\.")) {
            node = part.matches("\\d+") ? node.path(Integer.parseInt(part)) : node.path(part);
        }
        return node;
    }

    private static JsonNode set(JsonNode doc, String field, JsonNode value) {
        int dot = field.lastIndexOf('.');
        JsonNode parent = dot < 0 ? doc : at(doc, field.substring(0, dot));
        String last = field.substring(dot + 1);
        if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(last), value);
        } else if (parent instanceof ObjectNode object) {
            object.set(last, value);
        }
        return doc;
    }

    private static JsonNode remove(JsonNode doc, String field) {
        int dot = field.lastIndexOf('.');
        JsonNode parent = dot < 0 ? doc : at(doc, field.substring(0, dot));
        String last = field.substring(dot + 1);
        if (parent instanceof ArrayNode array) {
            array.remove(Integer.parseInt(last));
        } else if (parent instanceof ObjectNode object) {
            object.remove(last);
        }
        return doc;
    }
}
