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
 * @param env plain environment variables, appended after the {@code KRATIX_*} ones
 * @param imagePullPolicy {@code Always}, {@code IfNotPresent} or {@code Never}; empty when unset
 */
public record Container(
        String name,
        String image,
        List<String> command,
        List<String> args,
        List<EnvVar> env,
        Optional<String> imagePullPolicy) {
    public Container {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        command = List.copyOf(command);
        args = List.copyOf(args);
        env = List.copyOf(env);
        Objects.requireNonNull(imagePullPolicy, "imagePullPolicy");
    }
}
