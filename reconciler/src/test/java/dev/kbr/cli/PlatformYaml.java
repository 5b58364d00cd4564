package dev.kbr.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The YAML of the small platforms that the CLI integration tests write, so that each test states
 * only what it is about: a GitStateStore {@code default} with its Destination {@code worker}, and
 * Promises whose resource.configure pipelines are shell scripts run with {@code sh -c} in {@code
 * kbr.local/busybox-base} (built by {@code ci/build-fixture-images}).
 *
 * <p>Every text is fixed to the byte: tests assert line numbers in the files written from it (a
 * pipeline at {@code promise.yaml:23}, a binding at {@code binding-pinned.yaml:5}).
 *
 * <pre>{@code
 * Path platform = PlatformYaml.newPlatform(tmp.resolve("platform"), PlatformYaml.gitStoreAndWorker());
 * Files.writeString(platform.resolve("promise.yaml"), PlatformYaml.promise("steps", "Step")
 *         .selecting("env: dev")
 *         .singular()
 *         .specProperties("colour: {type: string}\n")
 *         .configure(PlatformYaml.pipeline("step-1", PlatformYaml.writesConfigMap("a", "a.yaml"))));
 * }</pre>
 */
final class PlatformYaml {
    /** The image of every pipeline here; {@code imagePullPolicy: Never}, as it is only built locally. */
    static final String BUSYBOX = "kbr.local/busybox-base:v0.1.0";

    private static final String STORE_AND_DESTINATION = """
            apiVersion: platform.kratix.io/v1alpha1
            kind: GitStateStore
            metadata: {name: default}
            spec: {branch: main, url: unused}
            ---
            apiVersion: platform.kratix.io/v1alpha1
            kind: Destination
            """;

    private static final String WORKER_SPEC = """
            spec:
              path: worker
              stateStoreRef: {kind: GitStateStore, name: default}
            """;

    private PlatformYaml() {}

    /**
     * GitStateStore {@code default} (branch main; its {@code url: unused} is replaced by the tests'
     * {@code --state-url default=...}) and Destination {@code worker} at path {@code worker} on it,
     * labelled {@code env: dev}; the Destination's document is last, so more of its {@code spec}
     * lines may be appended.
     */
    static String gitStoreAndWorker() {
        return STORE_AND_DESTINATION + """
                metadata:
                  name: worker
                  labels: {env: dev}
                """ + WORKER_SPEC;
    }

    /** As {@link #gitStoreAndWorker()}, with Destination {@code worker} unlabelled. */
    static String gitStoreAndUnlabelledWorker() {
        return STORE_AND_DESTINATION + "metadata: {name: worker}\n" + WORKER_SPEC;
    }

    /**
     * Creates the platform folder {@code dir} (and its parents) with {@code store.yaml} holding
     * {@code store}, e.g. {@link #gitStoreAndWorker()}; returns {@code dir}.
     */
    static Path newPlatform(Path dir, String store) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("store.yaml"), store);
        return dir;
    }

    /**
     * One item of a workflow's list of Pipelines: Pipeline {@code name} with one container {@code
     * run} that runs {@code script} (one or more lines) with {@code sh -c} in {@link #BUSYBOX}. The
     * item starts at column 6, as under {@code workflows.resource.configure} of a Promise's spec.
     */
    static String pipeline(String name, String script) {
        return pipeline(name, "run", "", script, "");
    }

    /**
     * As {@link #pipeline(String, String)} with container {@code container}, the Pipeline's {@code
     * volumes} list (its lines at column 0, written under {@code spec} before the containers; empty
     * for none) and more lines of the container after its {@code args} (at column 0, e.g. its
     * {@code volumeMounts}; empty for none).
     */
    static String pipeline(String name, String container, String volumes, String script, String containerMore) {
        return """
                      - apiVersion: platform.kratix.io/v1alpha1
                        kind: Pipeline
                        metadata: {name: %s}
                        spec:
                """.formatted(name)
                + (volumes.isEmpty() ? "" : "volumes:\n" + volumes).indent(10)
                + """
                          containers:
                          - name: %s
                            image: %s
                            imagePullPolicy: Never
                            command: [sh, -c]
                            args:
                            - |
                """.formatted(container, BUSYBOX)
                + script.indent(14)
                + containerMore.indent(12);
    }

    /** A Promise spec's {@code workflows} with these {@link #pipeline Pipelines} as resource.configure, at column 2. */
    static String configureWorkflows(String... pipelines) {
        return "  workflows:\n    resource:\n      configure:\n" + String.join("", pipelines);
    }

    /**
     * A shell line writing ConfigMap {@code team-a/<name>} (no data) to {@code /kratix/output/<file>}.
     */
    static String writesConfigMap(String name, String file) {
        return "printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: " + name
                + ", namespace: team-a}\\n' > /kratix/output/" + file;
    }

    /**
     * A shell line writing ConfigMap {@code team-a/<the request's name>} to {@code
     * /kratix/output/<file>}, with {@code data} a flow map such as {@code "{madeBy: v1}"} (empty for
     * no data).
     */
    static String writesRequestsConfigMap(String file, String data) {
        return "printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: %s, namespace: team-a}\\n"
                + (data.isEmpty() ? "" : "data: " + data + "\\n")
                + "' \"$KRATIX_OBJECT_NAME\" > /kratix/output/" + file;
    }

    /**
     * Starts a Promise {@code name} whose API is the namespaced kind {@code kind} (plural: the kind in
     * lower case with an {@code s}) in {@code test.kbr.dev/v1}, with no schema but {@code
     * x-kubernetes-preserve-unknown-fields}.
     */
    static Promise promise(String name, String kind) {
        return new Promise(name, kind);
    }

    /**
     * A Promise's YAML being built: set what differs from {@link PlatformYaml#promise}'s defaults,
     * then end with {@link #configure} or {@link #workflows}. Each setter returns this builder.
     */
    static final class Promise {
        private final String name;
        private final String kind;
        private String labels = "";
        private String selector = "";
        private String group = "test.kbr.dev";
        private String version = "v1";
        private boolean singular;
        private String schema =
                "schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}\n";

        private Promise(String name, String kind) {
            this.name = name;
            this.kind = kind;
        }

        /** The Promise's {@code metadata.labels} as a flow map's entries, e.g. {@code "env: dev"}. */
        Promise labels(String entries) {
            this.labels = entries;
            return this;
        }

        /** One {@code destinationSelectors} item matching these labels, e.g. {@code "env: dev"}. */
        Promise selecting(String matchLabels) {
            this.selector = matchLabels;
            return this;
        }

        /** Serves the kind in {@code group/version} instead of {@code test.kbr.dev/v1}. */
        Promise servedAs(String group, String version) {
            this.group = group;
            this.version = version;
            return this;
        }

        /** Also names the CRD's {@code singular}: the kind in lower case. */
        Promise singular() {
            this.singular = true;
            return this;
        }

        /** The version's {@code schema}, its lines at column 0, e.g. {@code "openAPIV3Schema: {...}\n"}. */
        Promise schema(String yaml) {
            this.schema = "schema:\n" + yaml.indent(2);
            return this;
        }

        /** A schema of an object whose {@code spec} has these {@code properties} (lines at column 0). */
        Promise specProperties(String properties) {
            return schema("""
                    openAPIV3Schema:
                      type: object
                      properties:
                        spec:
                          type: object
                          properties:
                    """ + properties.indent(8));
        }

        /** The whole Promise, its workflows being these resource.configure {@link PlatformYaml#pipeline Pipelines}. */
        String configure(String... pipelines) {
            return workflows(configureWorkflows(pipelines));
        }

        /** The whole Promise, ending with {@code workflows}: the rest of its spec, lines at column 2. */
        String workflows(String workflows) {
            String plural = kind.toLowerCase(Locale.ROOT) + "s";
            String metadata = labels.isEmpty()
                    ? "metadata: {name: " + name + "}\n"
                    : "metadata:\n  name: " + name + "\n  labels: {" + labels + "}\n";
            String selectors =
                    selector.isEmpty() ? "" : "  destinationSelectors: [{matchLabels: {" + selector + "}}]\n";
            String names = "{kind: " + kind + ", plural: " + plural
                    + (singular ? ", singular: " + kind.toLowerCase(Locale.ROOT) : "") + "}";
            return "apiVersion: platform.kratix.io/v1alpha1\nkind: Promise\n" + metadata + "spec:\n" + selectors
                    + """
                      api:
                        apiVersion: apiextensions.k8s.io/v1
                        kind: CustomResourceDefinition
                        metadata: {name: %s.%s}
                        spec:
                          group: %s
                          names: %s
                          scope: Namespaced
                          versions:
                          - name: %s
                            served: true
                            storage: true
                    """.formatted(plural, group, group, names, version)
                    + schema.indent(8)
                    + workflows;
        }
    }
}
