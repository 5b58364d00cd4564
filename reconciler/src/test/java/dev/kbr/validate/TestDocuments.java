package dev.kbr.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kbr.model.Container;
import dev.kbr.model.EnvVar;
import dev.kbr.model.GroupVersionKind;
import dev.kbr.model.LineMap;
import dev.kbr.model.Pipeline;
import dev.kbr.model.Promise;
import dev.kbr.model.PromiseApi;
import dev.kbr.model.ResourceRequest;
import dev.kbr.model.SourceLocation;
import dev.kbr.model.Workflows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Test-side stand-in for the {@code load} package: reads YAML (inline or corpus files) and maps
 * just what the validators need onto {@code model} records.
 */
final class TestDocuments {
    static final YAMLMapper YAML = new YAMLMapper();
    static final String PLATFORM_API_VERSION = "platform.kratix.io/v1alpha1";

    private TestDocuments() {}

    /** One YAML document. */
    static ObjectNode yaml(String text) {
        try {
            return (ObjectNode) YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every map document of a (multi-document) YAML file, in order; index = position among all documents. */
    static List<ObjectNode> readAll(Path file) {
        List<ObjectNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(Files.newBufferedReader(file))) {
            while (it.hasNextValue()) {
                JsonNode doc = it.nextValue();
                documents.add(doc instanceof ObjectNode o ? o : YAML.createObjectNode());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    static boolean isPromise(JsonNode doc) {
        return PLATFORM_API_VERSION.equals(doc.path("apiVersion").asText())
                && "Promise".equals(doc.path("kind").asText());
    }

    /** The first Promise document of a file. */
    static ObjectNode promiseDocument(Path file) {
        return readAll(file).stream()
                .filter(TestDocuments::isPromise)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Promise in " + file));
    }

    /** {@code spec.api} as Kratix reads it: storage version (else the first), kind, plural, scope, schema. */
    static Optional<PromiseApi> apiOf(JsonNode promiseDocument) {
        JsonNode crd = promiseDocument.path("spec").path("api");
        if (!(crd instanceof ObjectNode crdObject) || crdObject.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(apiFromCrd(crdObject));
    }

    static PromiseApi apiFromCrd(ObjectNode crd) {
        JsonNode spec = crd.path("spec");
        JsonNode versions = spec.path("versions");
        JsonNode version = versions.path(0);
        for (JsonNode v : versions) {
            if (v.path("storage").booleanValue()) {
                version = v;
                break;
            }
        }
        JsonNode schema = version.path("schema").path("openAPIV3Schema");
        return new PromiseApi(
                new GroupVersionKind(
                        spec.path("group").asText(),
                        version.path("name").asText(),
                        spec.path("names").path("kind").asText()),
                spec.path("names").path("plural").asText(),
                "Namespaced".equals(spec.path("scope").asText()),
                schema instanceof ObjectNode o ? Optional.of(o) : Optional.empty(),
                crd);
    }

    /** A namespaced API {@code test.kbr.dev/v1 Thing} whose openAPIV3Schema is {@code schemaYaml}. */
    static PromiseApi api(String schemaYaml) {
        ObjectNode crd = yaml("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: things.test.kbr.dev}
                spec:
                  group: test.kbr.dev
                  names: {kind: Thing, plural: things}
                  scope: Namespaced
                  versions:
                  - name: v1
                    served: true
                    storage: true
                """);
        ((ObjectNode) crd.path("spec").path("versions").get(0))
                .putObject("schema")
                .set("openAPIV3Schema", yaml(schemaYaml));
        return apiFromCrd(crd);
    }

    /** A request of {@code object}, served by Promise {@code promise}, read from {@code file}. */
    static ResourceRequest request(String promise, ObjectNode object, String file, LineMap lines) {
        JsonNode metadata = object.path("metadata");
        String namespace = metadata.path("namespace").asText("");
        return new ResourceRequest(
                promise,
                GroupVersionKind.of(
                        object.path("apiVersion").asText(), object.path("kind").asText()),
                namespace.isEmpty() ? "default" : namespace,
                metadata.path("name").asText(""),
                object,
                SourceLocation.of(file),
                lines);
    }

    /** A request for the synthetic {@code Thing} API of Promise {@code things}. */
    static ResourceRequest thing(String yaml) {
        return request("things", yaml(yaml), "thing.yaml", LineMap.empty());
    }

    /** A Promise record from a Promise document (name, labels, api, workflows, document). */
    static Promise promise(ObjectNode doc, String file) {
        JsonNode metadata = doc.path("metadata");
        JsonNode workflows = doc.path("spec").path("workflows");
        SourceLocation location = SourceLocation.of(file);
        return new Promise(
                metadata.path("name").asText(""),
                strings(metadata.path("labels")),
                apiOf(doc),
                List.of(),
                new Workflows(
                        pipelines(workflows.path("promise").path("configure"), location),
                        pipelines(workflows.path("promise").path("delete"), location),
                        pipelines(workflows.path("resource").path("configure"), location),
                        pipelines(workflows.path("resource").path("delete"), location)),
                List.of(),
                List.of(),
                doc,
                location,
                LineMap.empty());
    }

    static Promise promise(String yaml) {
        return promise(yaml(yaml), "promise.yaml");
    }

    private static List<Pipeline> pipelines(JsonNode list, SourceLocation location) {
        List<Pipeline> pipelines = new ArrayList<>();
        for (JsonNode p : list) {
            List<Container> containers = new ArrayList<>();
            for (JsonNode c : p.path("spec").path("containers")) {
                List<EnvVar> env = new ArrayList<>();
                for (JsonNode e : c.path("env")) {
                    env.add(new EnvVar(
                            e.path("name").asText(""), e.path("value").asText("")));
                }
                containers.add(new Container(
                        c.path("name").asText(""),
                        c.path("image").asText(""),
                        texts(c.path("command")),
                        texts(c.path("args")),
                        env,
                        c.has("imagePullPolicy")
                                ? Optional.of(c.path("imagePullPolicy").asText())
                                : Optional.empty()));
            }
            pipelines.add(new Pipeline(
                    p.path("metadata").path("name").asText(""),
                    strings(p.path("metadata").path("labels")),
                    containers,
                    p instanceof ObjectNode o ? o : YAML.createObjectNode(),
                    location));
        }
        return pipelines;
    }

    private static Map<String, String> strings(JsonNode map) {
        Map<String, String> out = new LinkedHashMap<>();
        map.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return out;
    }
}
