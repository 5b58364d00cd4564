package dev.kbr.execute;

import dev.kbr.model.Container;
import dev.kbr.model.EnvFromSecret;
import dev.kbr.model.EnvVar;
import dev.kbr.model.Pipeline;
import dev.kbr.model.SecretKeyRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Resolves a pipeline's Secret-backed variables ({@code env[].valueFrom.secretKeyRef} and {@code
 * envFrom[].secretRef}) into values (each keeping its Secret reference, so {@code $(VAR)} is not
 * expanded inside it), in the pipeline's namespace, the way the kubelet does:
 * {@code envFrom} first, then {@code env}, a later definition of a name replacing an earlier one.
 */
public final class SecretResolver {
    private SecretResolver() {}

    /**
     * @param pipeline the pipeline as loaded
     * @param namespace where its Secrets live (the pipeline namespace)
     * @param secrets the Secret source
     * @return the pipeline with every variable's value filled in and no {@code envFrom}
     * @throws IllegalArgumentException naming the Secret and key (never a value) when a required
     *     one is missing
     * @throws IOException when a Secret cannot be read
     */
    public static Pipeline resolve(Pipeline pipeline, String namespace, Secrets secrets) throws IOException {
        boolean any = pipeline.containers().stream()
                .anyMatch(c -> !c.envFrom().isEmpty()
                        || c.env().stream().anyMatch(e -> e.secretKeyRef().isPresent()));
        if (!any) {
            return pipeline;
        }
        List<Container> containers = new ArrayList<>();
        for (Container container : pipeline.containers()) {
            // The reference stays on resolved variables so the runner knows not to expand $(VAR)
            // inside Secret values, as the kubelet does not.
            Map<String, EnvVar> values = new LinkedHashMap<>();
            for (EnvFromSecret from : container.envFrom()) {
                Optional<SortedMap<String, String>> secret = secrets.secret(namespace, from.name());
                if (secret.isEmpty() && !from.optional()) {
                    throw missing(container, namespace, from.name(), null);
                }
                secret.ifPresent(keys -> keys.forEach((k, v) -> values.put(
                        from.prefix() + k,
                        new EnvVar(
                                from.prefix() + k,
                                v,
                                Optional.of(new SecretKeyRef(from.name(), k, from.optional()))))));
            }
            for (EnvVar var : container.env()) {
                if (var.secretKeyRef().isEmpty()) {
                    values.remove(var.name());
                    values.put(var.name(), var);
                    continue;
                }
                SecretKeyRef ref = var.secretKeyRef().get();
                Optional<String> value = secrets.secret(namespace, ref.name()).flatMap(keys -> key(keys, ref.key()));
                if (value.isEmpty() && !ref.optional()) {
                    throw missing(container, namespace, ref.name(), ref.key());
                }
                values.remove(var.name());
                value.ifPresent(v -> values.put(var.name(), new EnvVar(var.name(), v, Optional.of(ref))));
            }
            containers.add(container.withEnv(new ArrayList<>(values.values()), List.of()));
        }
        return pipeline.withContainers(containers);
    }

    private static IllegalArgumentException missing(Container container, String namespace, String name, String key) {
        return new IllegalArgumentException("container " + container.name() + " needs Secret " + namespace + "/" + name
                + (key != null ? " key " + key : "")
                + ", which is not available; put it in --secrets-dir as " + namespace + "/" + name + "/"
                + (key != null ? key : "<key>") + " or set KBR_SECRET_" + envName(namespace) + "_" + envName(name)
                + "_" + (key != null ? envName(key) : "<KEY>") + ", or mark the reference optional");
    }

    /** A key, or the key whose {@code KBR_SECRET_*} form matches (variables lose case). */
    static Optional<String> key(SortedMap<String, String> keys, String key) {
        if (keys.containsKey(key)) {
            return Optional.of(keys.get(key));
        }
        return keys.entrySet().stream()
                .filter(e -> Secrets.envName(e.getKey()).equals(Secrets.envName(key)))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    private static String envName(String part) {
        return Secrets.envName(part);
    }
}
