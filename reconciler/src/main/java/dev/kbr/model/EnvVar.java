package dev.kbr.model;

import java.util.Objects;

/**
 * A plain {@code name: value} environment variable of a pipeline container.
 *
 * @param name variable name
 * @param value its value (empty when the Promise gives none)
 */
public record EnvVar(String name, String value) {
    public EnvVar {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
