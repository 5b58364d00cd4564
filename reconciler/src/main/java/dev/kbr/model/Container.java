package dev.kbr.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One container of a Kratix pipeline ({@code spec.containers[]} of a {@code Pipeline}, Kratix
 * {@code api/v1alpha1/pipeline_types.go}).
 *
 * @param name container name, unique in the pipeline
 * @param image image reference, used as written
 * @param command entrypoint override; empty keeps the image's entrypoint
 * @param args arguments override; empty keeps the image's command
 * @param env environment variables, appended after the {@code KRATIX_*} ones (and after those
 *     of {@code envFrom}, which they override)
 * @param envFrom Secrets whose keys all become variables
 * @param volumeMounts the pipeline volumes this container mounts
 * @param imagePullPolicy {@code Always}, {@code IfNotPresent} or {@code Never}; empty when unset
 */
public record Container(
        String name,
        String image,
        List<String> command,
        List<String> args,
        List<EnvVar> env,
        List<EnvFromSource> envFrom,
        List<VolumeMount> volumeMounts,
        Optional<String> imagePullPolicy) {
    public Container {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        command = List.copyOf(command);
        args = List.copyOf(args);
        env = List.copyOf(env);
        envFrom = List.copyOf(envFrom);
        volumeMounts = List.copyOf(volumeMounts);
        Objects.requireNonNull(imagePullPolicy, "imagePullPolicy");
    }

    /** A container with plain variables only and no volumes. */
    public Container(
            String name,
            String image,
            List<String> command,
            List<String> args,
            List<EnvVar> env,
            Optional<String> imagePullPolicy) {
        this(name, image, command, args, env, List.of(), List.of(), imagePullPolicy);
    }

    /** The same container with other variables (e.g. once Secrets are resolved). */
    public Container withEnv(List<EnvVar> newEnv, List<EnvFromSource> newEnvFrom) {
        return new Container(name, image, command, args, newEnv, newEnvFrom, volumeMounts, imagePullPolicy);
    }
}
