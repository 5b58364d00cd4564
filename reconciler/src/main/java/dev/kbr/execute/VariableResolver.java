package dev.kbr.execute;

import dev.kbr.model.ConfigMapKeyRef;
import dev.kbr.model.Container;
import dev.kbr.model.EnvFromSource;
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
 * Resolves a pipeline's variables that take their values from Secrets ({@code
 * env[].valueFrom.secretKeyRef}, {@code envFrom[].secretRef}) and ConfigMaps ({@code
 * env[].valueFrom.configMapKeyRef}, {@code envFrom[].configMapRef}) in the pipeline's namespace,
 * the way the kubelet does ({@code pkg/kubelet/kubelet_pods.go}, {@code
 * makeEnvironmentVariables}): {@code envFrom} first, in order, then {@code env}, a later
 * definition of a name replacing an earlier one. Each resolved value keeps its reference, so
 * {@code $(VAR)} is not expanded inside it and a Secret's value is known to be one.
 */
public final class VariableResolver {
    private VariableResolver() {}

    /**
     * @param pipeline the pipeline as loaded
     * @param namespace where its Secrets and ConfigMaps live (the pipeline namespace)
     * @param secrets the Secret source
     * @param configMaps the ConfigMap source (the platform repository's)
     * @return the pipeline with every variable's value filled in and no {@code envFrom}
     * @throws IllegalArgumentException naming the Secret or ConfigMap and key (never a value) and
     *     where to put it, when a required one is missing
     * @throws IOException when a Secret cannot be read
     */
    public static Pipeline resolve(Pipeline pipeline, String namespace, Secrets secrets, ConfigMaps configMaps)
            throws IOException {
        boolean any = pipeline.containers().stream()
                .anyMatch(c -> !c.envFrom().isEmpty() || c.env().stream().anyMatch(EnvVar::fromReference));
        if (!any) {
            return pipeline;
        }
        List<Container> containers = new ArrayList<>();
        for (Container container : pipeline.containers()) {
            Map<String, EnvVar> values = new LinkedHashMap<>();
            for (EnvFromSource from : container.envFrom()) {
                Optional<SortedMap<String, String>> keys = from.secret()
                        ? secrets.secret(namespace, from.name())
                        : configMaps.data(namespace, from.name());
                if (keys.isEmpty() && !from.optional()) {
                    throw missing(container, namespace, from.secret(), from.name(), null);
                }
                keys.ifPresent(found -> found.forEach((k, v) -> values.put(
                        from.prefix() + k,
                        from.secret()
                                ? new EnvVar(from.prefix() + k, v, Optional.of(new SecretKeyRef(from.name(), k, false)))
                                : new EnvVar(
                                        from.prefix() + k,
                                        v,
                                        Optional.empty(),
                                        Optional.of(new ConfigMapKeyRef(from.name(), k, false))))));
            }
            for (EnvVar var : container.env()) {
                values.remove(var.name());
                Optional<EnvVar> value = resolved(container, var, namespace, secrets, configMaps);
                value.ifPresent(v -> values.put(v.name(), v));
            }
            containers.add(container.withEnv(new ArrayList<>(values.values()), List.of()));
        }
        return pipeline.withContainers(containers);
    }

    /** The variable with its value, or empty when its optional reference is missing. */
    private static Optional<EnvVar> resolved(
            Container container, EnvVar var, String namespace, Secrets secrets, ConfigMaps configMaps)
            throws IOException {
        if (var.secretKeyRef().isPresent()) {
            SecretKeyRef ref = var.secretKeyRef().get();
            Optional<String> value = secrets.secret(namespace, ref.name()).flatMap(keys -> key(keys, ref.key()));
            if (value.isEmpty() && !ref.optional()) {
                throw missing(container, namespace, true, ref.name(), ref.key());
            }
            return value.map(v -> new EnvVar(var.name(), v, Optional.of(ref)));
        }
        if (var.configMapKeyRef().isPresent()) {
            ConfigMapKeyRef ref = var.configMapKeyRef().get();
            Optional<String> value =
                    configMaps.data(namespace, ref.name()).flatMap(keys -> Optional.ofNullable(keys.get(ref.key())));
            if (value.isEmpty() && !ref.optional()) {
                throw missing(container, namespace, false, ref.name(), ref.key());
            }
            return value.map(v -> new EnvVar(var.name(), v, Optional.empty(), Optional.of(ref)));
        }
        return Optional.of(var);
    }

    private static IllegalArgumentException missing(
            Container container, String namespace, boolean secret, String name, String key) {
        String what = (secret ? "Secret " : "ConfigMap ") + namespace + "/" + name + (key != null ? " key " + key : "");
        String fix = secret
                ? "put it in --secrets-dir as " + namespace + "/" + name + "/" + (key != null ? key : "<key>")
                        + " or set KBR_SECRET_" + envName(namespace) + "_" + envName(name) + "_"
                        + (key != null ? envName(key) : "<KEY>")
                : "add a v1 ConfigMap " + name + " in namespace " + namespace + (key != null ? " with data." + key : "")
                        + " to the platform repository";
        return new IllegalArgumentException("container " + container.name() + " needs " + what
                + ", which is not available; " + fix + ", or mark the reference optional");
    }

    /** A key, or the key whose {@code KBR_SECRET_*} form matches (variables lose case). */
    static <V> Optional<V> key(SortedMap<String, V> keys, String key) {
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
