package dev.kbr.safety;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small platform folder for the safety ITs: state store {@code default} (a GitStateStore, or a
 * BucketStateStore; its URL is given with {@code --state-url}), one Destination {@code worker-0},
 * Promise {@code bench} whose one resource.configure pipeline runs the trivial bench image (a
 * ConfigMap per request, named after it, {@code data.value} = {@code spec.value}, and {@code
 * spec.files} more small ConfigMaps), optionally after sleeping, and requests {@code req-<i>} in
 * namespace {@code default}.
 */
final class SafetyPlatform {
    static final String IMAGE = "kbr.local/bench-pipeline:v0.1.0";

    /** The Secret a BucketStateStore {@code default} names for its keys: {@code default/s3-credentials}. */
    static final String BUCKET_SECRET_NAMESPACE = "default";

    /** See {@link #BUCKET_SECRET_NAMESPACE}. */
    static final String BUCKET_SECRET_NAME = "s3-credentials";

    /** The kind of state store {@code default} is. */
    enum Store {
        /** A GitStateStore on branch {@code main}. */
        GIT,
        /**
         * A BucketStateStore with an access key from Secret {@link #BUCKET_SECRET_NAMESPACE}/{@link
         * #BUCKET_SECRET_NAME}; its endpoint, bucket and path come from {@code --state-url}.
         */
        BUCKET
    }

    private final Path root;

    private SafetyPlatform(Path root) {
        this.root = root;
    }

    /**
     * Writes the platform on a GitStateStore with {@code requests} requests at value {@code v0}.
     *
     * @param sleep seconds the pipeline sleeps before writing (e.g. {@code "0.3"}), or null
     */
    static SafetyPlatform write(Path root, int requests, String sleep) throws IOException {
        return write(root, requests, sleep, Store.GIT);
    }

    /**
     * Writes the platform with {@code requests} requests at value {@code v0}.
     *
     * @param sleep seconds the pipeline sleeps before writing (e.g. {@code "0.3"}), or null
     * @param store the kind of state store {@code default} is
     */
    static SafetyPlatform write(Path root, int requests, String sleep, Store store) throws IOException {
        SafetyPlatform platform = new SafetyPlatform(root);
        String kind = switch (store) {
            case GIT -> {
                platform.file("state-stores/default.yaml", """
                                apiVersion: platform.kratix.io/v1alpha1
                                kind: GitStateStore
                                metadata:
                                  name: default
                                spec:
                                  url: https://git.example.com/placeholder.git
                                  branch: main
                                """);
                yield "GitStateStore";
            }
            case BUCKET -> {
                platform.file("state-stores/default.yaml", """
                                apiVersion: platform.kratix.io/v1alpha1
                                kind: BucketStateStore
                                metadata:
                                  name: default
                                spec:
                                  endpoint: s3.example.com
                                  bucketName: placeholder
                                  authMethod: accessKey
                                  secretRef:
                                    namespace: %s
                                    name: %s
                                """.formatted(BUCKET_SECRET_NAMESPACE, BUCKET_SECRET_NAME));
                yield "BucketStateStore";
            }
        };
        platform.file("destinations/worker-0.yaml", """
                apiVersion: platform.kratix.io/v1alpha1
                kind: Destination
                metadata:
                  name: worker-0
                  labels:
                    target: "true"
                spec:
                  path: worker-0
                  stateStoreRef:
                    kind: %s
                    name: default
                """.formatted(kind));
        String command = sleep == null
                ? ""
                : "\n            command: [\"sh\", \"-c\", \"sleep " + sleep + " && exec /usr/local/bin/pipeline\"]";
        platform.file("promises/bench.yaml", """
                apiVersion: platform.kratix.io/v1alpha1
                kind: Promise
                metadata:
                  name: bench
                spec:
                  api:
                    apiVersion: apiextensions.k8s.io/v1
                    kind: CustomResourceDefinition
                    metadata:
                      name: benches.safety.kbr.dev
                    spec:
                      group: safety.kbr.dev
                      names:
                        kind: Bench
                        plural: benches
                        singular: bench
                      scope: Namespaced
                      versions:
                      - name: v1
                        served: true
                        storage: true
                        schema:
                          openAPIV3Schema:
                            type: object
                            properties:
                              spec:
                                type: object
                                properties:
                                  value:
                                    type: string
                                  files:
                                    type: integer
                  destinationSelectors:
                  - matchLabels:
                      target: "true"
                  workflows:
                    resource:
                      configure:
                      - apiVersion: platform.kratix.io/v1alpha1
                        kind: Pipeline
                        metadata:
                          name: configure
                        spec:
                          containers:
                          - name: bench
                            image: %s
                            imagePullPolicy: Never%s
                """.formatted(IMAGE, command));
        for (int i = 0; i < requests; i++) {
            platform.request(i, "v0");
        }
        return platform;
    }

    Path root() {
        return root;
    }

    static String name(int request) {
        return "req-" + request;
    }

    /** Sets request {@code i}'s {@code spec.value}. */
    void request(int i, String value) throws IOException {
        file("requests/" + name(i) + ".yaml", """
                apiVersion: safety.kbr.dev/v1
                kind: Bench
                metadata:
                  name: %s
                  namespace: default
                spec:
                  value: "%s"
                """.formatted(name(i), value));
    }

    /**
     * Sets request {@code i}'s {@code spec.value} and {@code spec.files}: its pipeline then also
     * writes {@code files/f-00001.yaml} to {@code files/f-<files>.yaml}, so a change of {@code
     * files} adds or deletes that many files.
     */
    void request(int i, String value, int files) throws IOException {
        file("requests/" + name(i) + ".yaml", """
                apiVersion: safety.kbr.dev/v1
                kind: Bench
                metadata:
                  name: %s
                  namespace: default
                spec:
                  value: "%s"
                  files: %d
                """.formatted(name(i), value, files));
    }

    /** Where request {@code i}'s ConfigMap is in the state store (Kratix's nested layout). */
    static String configMapPrefix(int request) {
        return "worker-0/resources/default/bench/" + name(request) + "/configure/";
    }

    private void file(String relative, String text) throws IOException {
        Path path = root.resolve(relative);
        Files.createDirectories(path.getParent());
        // Written to a sibling and moved, so a kbr process reading the folder never sees half a file.
        Path temp = path.resolveSibling(path.getFileName() + ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(
                temp,
                path,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
