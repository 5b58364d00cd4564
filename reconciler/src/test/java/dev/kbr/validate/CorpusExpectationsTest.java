package dev.kbr.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kbr.engine.PlatformCheck;
import dev.kbr.load.PlatformLoader;
import dev.kbr.load.YamlDocument;
import dev.kbr.load.YamlReader;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.GroupVersionKind;
import dev.kbr.model.Platform;
import dev.kbr.model.Promise;
import dev.kbr.model.ResourceRequest;
import dev.kbr.testsupport.SharedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every document of the Kratix corpus ({@code ../shared/corpus}) through the loader and the
 * validators, compared with the checked-in verdicts in {@code
 * src/test/resources/corpus-expectations.txt}, so any change in what kbr accepts or how it words a
 * problem shows up as a diff to review.
 *
 * <p>Every file below the corpus is read, YAML or not; a file that is not YAML must give a
 * diagnostic, never an exception. Each Promise ({@code platform.kratix.io/v1alpha1}) goes through
 * {@link PlatformLoader} and {@link PromiseValidator}. Each other document that has the
 * group/version/kind of a Promise API in the same source repository ({@code corpus/<owner>/<repo>/},
 * as INDEX.md matches them) is validated as a resource request against each such Promise. The
 * file has one line per document: {@code <path>#<document index> TAB <kind> TAB <verdict>}, where
 * the verdict is {@code valid}, or the sorted {@code field: message} of its errors joined by
 * {@code " || "} ({@code vs <promise file>: } before each verdict when several Promises serve the
 * kind), or says why the document is not checked.
 *
 * <p>After those rows, the file holds what {@code kbr validate} says of the whole of {@code
 * corpus/syntasso} as one platform ({@link PlatformCheck}), one line per diagnostic: the hints that
 * guess at a typo meet every real document there. Every error row is preceded by a {@code # why:}
 * comment saying why it is right (the test fails without one, except for files that are no YAML
 * at all); regeneration keeps those comments before the rows they explain.
 *
 * <p>Regenerate with {@code mvn -B -q test -Dtest=CorpusExpectationsTest
 * -Dkbr.updateCorpusExpectations=true -Dsurefire.failIfNoSpecifiedTests=false}, then review the
 * diff.
 *
 * <p><b>Reviewed by hand</b> (2026-11-21): every verdict other than {@code valid} and {@code not
 * checked} was compared with its document and its Promise's schema, and is what the Kubernetes
 * API server or Kratix would report, or a documented limit of kbr:
 *
 * <ul>
 *   <li>kratix-cli's generated examples hold placeholder strings ({@code instances: '# type
 *       integer'}, {@code '# type object'}) where the schema wants an integer or an object (the
 *       four INVALID rows of INDEX.md);
 *   <li>{@code mongodb/resource-request.yaml} is valid for {@code mongodb} but lacks {@code
 *       security}, {@code type} and {@code users}, which {@code mongodb-full} requires;
 *   <li>Kratix's sample {@code platform_v1alpha1_promise.yaml} has an API that is no CRD;
 *   <li>kratix-cli's {@code expected-output-with-empty-openAPIV3Schema} Promise gives {@code spec}
 *       no type: not a structural schema, so the API server rejects the CRD (kbr accepted it
 *       before this review; fixed in {@code ApiSchema});
 *   <li>{@code workshop-app-promise}: a {@code secretKeyRef} without {@code key}, which the API
 *       server rejects in the pipeline Pod;
 *   <li>kbr limits: secret volumes ({@code sql/azure}, {@code sql/gcp}; their mounts were also
 *       reported as undefined before this review, fixed in {@code DocumentMapper}), {@code
 *       fieldRef} env ({@code namespaced-workflow-promise.yaml}). BucketStateStores were one too, until
 *       kbr learnt to write buckets: their five documents are valid now.
 * </ul>
 *
 * <p>Since 2026-12-02 the corpus also holds pipeline code (Kratix's Python SDK and two marketplace
 * pipelines: Python, shell scripts, Dockerfiles, a licence); those files are read like any other
 * and their rows say they are not valid YAML or not Kubernetes objects. No verdict of a YAML
 * document changed when they arrived.
 *
 * <p><b>Reviewed by hand</b> (2026-12-06), when the whole-platform rows were added: no row guesses
 * at a typo any more (before, 20 "fix the kind" / "fix the apiVersion" hints were wrong for every one
 * of these documents: requests of Promises kept in other repos, pipeline resources, Namespaces);
 * each {@code metadata.name} error points at the line of the name in both files; requests of a
 * Promise that failed to load (its errors, or its name taken) say which Promise, at which file.
 *
 * <p>{@code not checked} rows are documents no Promise of their repository serves (or whose
 * Promise did not load), Kratix kinds kbr does not read, and pipeline-contract files that are not
 * Kubernetes objects. INDEX.md's request table also matches across repositories (the
 * app-as-a-service {@code deployment} request against easy-app's nginx-ingress Promise); like its
 * Promise table, this test matches only within a repository.
 */
class CorpusExpectationsTest {
    private static final String KRATIX_API_VERSION = "platform.kratix.io/v1alpha1";

    /** The one YAML file of the corpus without a YAML extension (INDEX.md). */
    private static final String EXTENSIONLESS_YAML =
            "syntasso/kratix/work-creator/samples/complete/kratix-system/promise-scheduling";

    private static final String EXPECTATIONS = "reconciler/src/test/resources/corpus-expectations.txt";
    private static final String SEPARATOR = " || ";

    /** The folder checked as one platform, as {@code kbr validate --platform} would. */
    private static final String WHOLE_PLATFORM = "syntasso";

    /** A comment saying why the verdict on the line after it is an error, kept on regeneration. */
    private static final String WHY = "# why:";

    private final SchemaCache schemas = new SchemaCache();
    private final PromiseValidator promiseValidator = new PromiseValidator(schemas);
    private final RequestValidator requestValidator = new RequestValidator(schemas);

    /** A document of the corpus with what it is and the repository folder it belongs to. */
    private record Doc(String file, int index, String repository, YamlDocument document) {
        String id() {
            return file + "#" + index;
        }

        String kind() {
            String kind = document.body().path("kind").asText("");
            return kind.isEmpty() ? "-" : kind;
        }
    }

    /** A Promise of the corpus that loaded and has an API. */
    private record Served(Doc doc, Promise promise) {}

    @Test
    void everyCorpusDocumentHasTheReviewedVerdict() throws IOException {
        Path corpus = SharedFiles.corpus("INDEX.md").getParent();
        Map<String, String> verdicts = new TreeMap<>();
        List<String> exceptions = new ArrayList<>();
        List<Doc> documents = new ArrayList<>();
        List<String> nonYamlFiles = new ArrayList<>();

        for (Path path : files(corpus)) {
            String file = corpus.relativize(path).toString().replace('\\', '/');
            boolean yaml = file.endsWith(".yaml") || file.endsWith(".yml") || file.equals(EXTENSIONLESS_YAML);
            if (!yaml) {
                nonYamlFiles.add(file);
            }
            try {
                read(file, Files.readAllBytes(path), documents, verdicts);
            } catch (RuntimeException e) {
                exceptions.add(file + ": " + e);
            }
        }
        List<Served> served = new ArrayList<>();
        int promises = 0;
        for (Doc doc : documents) {
            if (isKratix(doc, "Promise")) {
                promises++;
                try {
                    verdicts.put(doc.id(), promiseVerdict(doc, served));
                } catch (RuntimeException e) {
                    exceptions.add(doc.id() + ": " + e);
                }
            }
        }
        int validatedRequests = 0;
        for (Doc doc : documents) {
            if (isKratix(doc, "Promise")) {
                continue;
            }
            try {
                List<Served> matching = matching(doc, served);
                validatedRequests += matching.size();
                verdicts.put(
                        doc.id(), matching.isEmpty() ? otherVerdict(doc, documents) : requestVerdict(doc, matching));
            } catch (RuntimeException e) {
                exceptions.add(doc.id() + ": " + e);
            }
        }

        assertThat(exceptions).as("no input may make kbr throw").isEmpty();
        assertThat(promises).isGreaterThanOrEqualTo(60);
        assertThat(validatedRequests).isGreaterThan(50);
        assertThat(nonYamlFiles).isNotEmpty();
        for (String file : nonYamlFiles) {
            assertThat(verdicts.entrySet())
                    .as("%s is not YAML and must give a diagnostic", file)
                    .anyMatch(e -> e.getKey().startsWith(file + "#")
                            && !e.getValue().endsWith("\tvalid")
                            && !e.getValue().endsWith("\tempty document"));
        }
        List<String> actual = new ArrayList<>(verdicts.entrySet().stream()
                .map(e -> e.getKey() + "\t" + e.getValue())
                .toList());
        actual.addAll(wholePlatform(corpus.resolve(WHOLE_PLATFORM)));
        Path expectations = SharedFiles.repoRoot().resolve(EXPECTATIONS);
        if (Boolean.getBoolean("kbr.updateCorpusExpectations")) {
            Map<String, List<String>> whys = whys(Files.readAllLines(expectations));
            StringBuilder text = new StringBuilder(header());
            java.util.Set<String> explained = new java.util.HashSet<>();
            for (String line : actual) {
                if (explained.add(key(line))) {
                    whys.getOrDefault(key(line), List.of())
                            .forEach(w -> text.append(w).append('\n'));
                }
                text.append(line).append('\n');
            }
            Files.writeString(expectations, text.toString());
        }
        List<String> file = Files.readAllLines(expectations);
        List<String> expected =
                file.stream().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        assertThat(actual)
                .as(
                        "corpus verdicts differ from %s; review, then regenerate with"
                                + " -Dkbr.updateCorpusExpectations=true",
                        EXPECTATIONS)
                .containsExactlyElementsOf(expected);
        Map<String, List<String>> whys = whys(file);
        assertThat(actual.stream()
                        .filter(line -> isError(line, nonYamlFiles))
                        .map(CorpusExpectationsTest::key)
                        .distinct())
                .as(
                        "every error verdict of %s needs a '# why:' line before it, unless the file is no YAML",
                        EXPECTATIONS)
                .allSatisfy(key -> assertThat(whys).containsKey(key));
    }

    /**
     * {@code kbr validate} on the whole of {@code corpus/syntasso}, as one platform: one line per
     * diagnostic, {@code kbr validate <file:line> TAB <severity> TAB <field: message>}. Hints that
     * guess at a typo show here against every real document of the corpus.
     */
    private static List<String> wholePlatform(Path root) throws IOException {
        return PlatformCheck.run(root).diagnostics().stream()
                .map(d -> "kbr validate " + WHOLE_PLATFORM + "/" + d.location() + "\t"
                        + d.severity().name().toLowerCase(java.util.Locale.ROOT) + "\t"
                        + (d.field().isEmpty() ? "" : d.field() + ": ")
                        + d.message().replace("\n", "\\n").replace("\t", "\\t"))
                .toList();
    }

    /** What a {@code # why:} line explains: the first field of the line after it. */
    private static String key(String line) {
        return line.substring(0, line.indexOf('\t'));
    }

    /** The {@code # why:} lines of an expectations file, by the key of the line they precede. */
    private static Map<String, List<String>> whys(List<String> lines) {
        Map<String, List<String>> whys = new TreeMap<>();
        List<String> pending = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith(WHY)) {
                pending.add(line);
            } else if (!line.startsWith("#") && !line.isBlank()) {
                if (!pending.isEmpty()) {
                    whys.computeIfAbsent(key(line), k -> new ArrayList<>()).addAll(pending);
                }
                pending = new ArrayList<>();
            }
        }
        return whys;
    }

    /** An error verdict, except a file that is no YAML at all failing to parse as YAML. */
    private static boolean isError(String line, List<String> nonYamlFiles) {
        String[] fields = line.split("\t", 3);
        if (line.startsWith("kbr validate ")) {
            return fields[1].equals("error");
        }
        String verdict = fields[2];
        boolean notYaml = nonYamlFiles.contains(fields[0].substring(0, fields[0].lastIndexOf('#')))
                && verdict.startsWith("is not valid YAML");
        return !notYaml
                && !verdict.equals("valid")
                && !verdict.startsWith("not checked")
                && !verdict.equals("empty document")
                && !verdict.matches("(vs [^:]+: valid( \\|\\| )?)+");
    }

    private static String header() {
        return """
                # Verdicts of kbr on every document of ../shared/corpus (CorpusExpectationsTest).
                # <path>#<document index> TAB <kind> TAB <verdict>
                # Generated with -Dkbr.updateCorpusExpectations=true, then reviewed by hand: see the test's Javadoc.
                # Then `kbr validate` on the whole of syntasso/ as one platform:
                # kbr validate <file:line> TAB <severity> TAB <field: message>
                # A "# why:" line before an error says why it is right (regeneration keeps it).
                """;
    }

    private static void read(String file, byte[] bytes, List<Doc> documents, Map<String, String> verdicts) {
        String repository = repositoryOf(file);
        YamlReader.Result read = YamlReader.read(file, bytes);
        for (YamlDocument document : read.documents()) {
            documents.add(new Doc(file, document.location().documentIndex(), repository, document));
        }
        // Documents left out (duplicate keys) and where parsing stopped get their diagnostics.
        Map<Integer, List<Diagnostic>> byDocument = read.diagnostics().stream()
                .collect(Collectors.groupingBy(d -> d.location().documentIndex(), TreeMap::new, Collectors.toList()));
        byDocument.forEach((index, problems) -> verdicts.put(file + "#" + index, "-\t" + errors(problems)));
    }

    private String promiseVerdict(Doc doc, List<Served> served) {
        PlatformLoader.Result loaded = PlatformLoader.fromDocuments(List.of(doc.document()));
        List<Diagnostic> diagnostics = new ArrayList<>(loaded.diagnostics());
        if (loaded.platform().promises().isEmpty()) {
            assertThat(diagnostics)
                    .as("%s did not load, so the loader must say why", doc.id())
                    .anyMatch(Diagnostic::isError);
        }
        for (Promise promise : loaded.platform().promises()) {
            diagnostics.addAll(promiseValidator.validate(promise));
            if (promise.api().isPresent()) {
                served.add(new Served(doc, promise));
            }
        }
        return doc.kind() + "\t" + errors(diagnostics);
    }

    private static List<Served> matching(Doc doc, List<Served> served) {
        JsonNode body = doc.document().body();
        if (!body.isObject()
                || !body.path("apiVersion").isTextual()
                || !body.path("kind").isTextual()
                || KRATIX_API_VERSION.equals(body.path("apiVersion").asText())) {
            return List.of();
        }
        GroupVersionKind gvk = GroupVersionKind.of(
                body.path("apiVersion").asText(), body.path("kind").asText());
        return served.stream()
                .filter(s -> s.doc().repository().equals(doc.repository()))
                .filter(s -> s.promise().api().orElseThrow().gvk().equals(gvk))
                .toList();
    }

    private String requestVerdict(Doc doc, List<Served> matching) {
        List<String> verdicts = new ArrayList<>();
        for (Served s : matching) {
            List<Diagnostic> diagnostics = new ArrayList<>();
            Platform platform = new Platform(List.of(s.promise()), List.of(), List.of(), List.of());
            Optional<ResourceRequest> request = PlatformLoader.asRequest(platform, doc.document(), diagnostics);
            request.ifPresent(r -> diagnostics.addAll(requestValidator
                    .validate(r, s.promise().api().orElseThrow())
                    .diagnostics()));
            String verdict = errors(diagnostics);
            verdicts.add(matching.size() == 1 ? verdict : "vs " + s.doc().id() + ": " + verdict);
        }
        return doc.kind() + "\t" + String.join(SEPARATOR, verdicts);
    }

    private static String otherVerdict(Doc doc, List<Doc> documents) {
        JsonNode body = doc.document().body();
        if (body.isNull()) {
            return "-\tempty document";
        }
        PlatformLoader.Result loaded = PlatformLoader.fromDocuments(List.of(doc.document()));
        if (loaded.diagnostics().stream().anyMatch(Diagnostic::isError)) {
            return doc.kind() + "\t" + errors(loaded.diagnostics());
        }
        if (!loaded.diagnostics().isEmpty()) {
            return doc.kind() + "\tnot checked: "
                    + loaded.diagnostics().stream().map(Diagnostic::message).collect(Collectors.joining(SEPARATOR));
        }
        if (loaded.ignored().isEmpty()) {
            return doc.kind() + "\tvalid";
        }
        String apiVersion = body.path("apiVersion").asText();
        if (KRATIX_API_VERSION.equals(apiVersion)) {
            return doc.kind() + "\tnot checked: kbr does not read Kratix's " + doc.kind() + " objects";
        }
        GroupVersionKind gvk = GroupVersionKind.of(apiVersion, doc.kind());
        List<String> unloaded = documents.stream()
                .filter(p -> p.repository().equals(doc.repository()) && isKratix(p, "Promise"))
                .filter(p -> PlatformLoader.declaredApi(p.document().body())
                        .filter(gvk::equals)
                        .isPresent())
                .map(Doc::id)
                .toList();
        if (!unloaded.isEmpty()) {
            return doc.kind() + "\tnot checked: its Promise did not load (" + String.join(", ", unloaded) + ")";
        }
        return doc.kind() + "\tnot checked: no Promise in " + doc.repository() + " serves " + apiVersion + " "
                + doc.kind();
    }

    private static boolean isKratix(Doc doc, String kind) {
        JsonNode body = doc.document().body();
        return KRATIX_API_VERSION.equals(body.path("apiVersion").asText())
                && kind.equals(body.path("kind").asText());
    }

    /** {@code valid}, or the errors' {@code field: message}, sorted, on one line. */
    private static String errors(List<Diagnostic> diagnostics) {
        List<String> errors = diagnostics.stream()
                .filter(Diagnostic::isError)
                .map(d -> (d.field().isEmpty() ? "" : d.field() + ": ") + d.message())
                .map(m -> m.replace("\n", "\\n").replace("\t", "\\t"))
                .sorted()
                .toList();
        return errors.isEmpty() ? "valid" : String.join(SEPARATOR, errors);
    }

    /** {@code <owner>/<repo>} of a corpus file, or empty for the corpus' own files. */
    private static String repositoryOf(String file) {
        String[] parts = file.split("/");
        return parts.length > 2 ? parts[0] + "/" + parts[1] : "";
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).sorted().toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
