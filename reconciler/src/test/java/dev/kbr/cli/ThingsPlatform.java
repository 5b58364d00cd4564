package dev.kbr.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small platform for the guard tests: one GitStateStore (or a BucketStateStore, {@link
 * #onBucket()}), one Destination {@code worker}, and a Promise {@code things} (kind Thing) whose
 * one resource.configure pipeline is a shell script on
 * {@code kbr.local/busybox-base} (built by {@code ci/build-fixture-images}), driven by each
 * request's spec:
 *
 * <ul>
 *   <li>{@code configMap} (default: the request's name): the ConfigMap {@code team-a/<configMap>}
 *       it writes to {@code cm.yaml}, with {@code data.colour = colour};
 *   <li>{@code password}: also writes {@code secret.yaml}, a Secret with {@code stringData.password};
 *   <li>{@code binary}: also writes {@code blob.bin} (bytes 0xff 0xfe 0x00 0x01 then the colour)
 *       and {@code latin1.txt} (ISO-8859-1 "caf\u00e9 " then the colour);
 *   <li>{@code fail}: prints "boom from NAME" to stderr and exits 7.
 * </ul>
 *
 * <p>Its store and Promise are {@link PlatformYaml}'s.
 */
final class ThingsPlatform {
    static final String OUT = "worker/resources/team-a/things/";

    private static final String SCRIPT = """
            in=/kratix/input/object.yaml
            name=$KRATIX_OBJECT_NAME
            if [ "$(yget -f $in spec.fail false)" = true ]; then echo "boom from $name" >&2; exit 7; fi
            colour=$(yget -f $in spec.colour blue)
            printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: %s, namespace: team-a}\\ndata: {colour: %s}\\n' "$(yget -f $in spec.configMap $name)" "$colour" > /kratix/output/cm.yaml
            password=$(yget -f $in spec.password none)
            if [ "$password" != none ]; then
              printf 'apiVersion: v1\\nkind: Secret\\nmetadata: {name: %s-creds, namespace: team-a}\\nstringData:\\n  password: %s\\n' "$name" "$password" > /kratix/output/secret.yaml
            fi
            if [ "$(yget -f $in spec.binary false)" = true ]; then
              printf '\\377\\376\\000\\001%s' "$colour" > /kratix/output/blob.bin
              printf 'caf\\351 %s\\n' "$colour" > /kratix/output/latin1.txt
            fi
            echo "wrote $name"
            """;

    private final Path dir;
    private final Map<String, String> requests = new TreeMap<>();

    ThingsPlatform(Path dir, String destinationExtra) throws Exception {
        this.dir = PlatformYaml.newPlatform(dir, PlatformYaml.gitStoreAndWorker() + destinationExtra);
        Files.writeString(
                dir.resolve("promise.yaml"),
                PlatformYaml.promise("things", "Thing")
                        .selecting("env: dev")
                        .singular()
                        .specProperties("""
                                colour: {type: string}
                                configMap: {type: string}
                                password: {type: string}
                                binary: {type: boolean}
                                fail: {type: boolean}
                                """)
                        .configure(PlatformYaml.pipeline("make", SCRIPT)));
    }

    Path dir() {
        return dir;
    }

    /**
     * Puts Destination {@code worker} on a BucketStateStore {@code default} instead (bucket {@code
     * kratix}, Secret {@code default/minio-credentials}; tests give the server with {@code
     * --state-url default=http://127.0.0.1:PORT/kratix}). The files land at the same keys.
     */
    ThingsPlatform onBucket() throws Exception {
        Path store = dir.resolve("store.yaml");
        String bucket = """
                apiVersion: platform.kratix.io/v1alpha1
                kind: BucketStateStore
                metadata: {name: default}
                spec:
                  endpoint: minio.example.com
                  insecure: true
                  bucketName: kratix
                  authMethod: accessKey
                  secretRef: {name: minio-credentials, namespace: default}
                """;
        String text = Files.readString(store);
        String destination = text.substring(text.indexOf("---\n"));
        Files.writeString(
                store,
                bucket
                        + destination.replace(
                                "{kind: GitStateStore, name: default}", "{kind: BucketStateStore, name: default}"));
        return this;
    }

    /** Writes (or replaces) request {@code name} with this flow-style spec, e.g. {@code "{colour: red}"}. */
    ThingsPlatform request(String name, String spec) throws Exception {
        requests.put(name, spec);
        Files.writeString(dir.resolve("request-" + name + ".yaml"), """
                apiVersion: test.kbr.dev/v1
                kind: Thing
                metadata: {name: %s, namespace: team-a}
                spec: %s
                """.formatted(name, spec));
        return this;
    }

    /** Removes request {@code name} from the platform. */
    ThingsPlatform remove(String name) throws Exception {
        requests.remove(name);
        Files.delete(dir.resolve("request-" + name + ".yaml"));
        return this;
    }

    /** Where request {@code name}'s file {@code file} lands in the default (nested) layout. */
    static String out(String name, String file) {
        return OUT + name + "/make/5058f/" + file;
    }
}
