package dev.kbr.model;

import java.util.Locale;
import java.util.Optional;

/**
 * A HealthRecord's {@code data.state} ({@code api/v1alpha1/healthrecord_types.go}: one of {@code
 * unknown}, {@code ready}, {@code unhealthy}, {@code healthy}, {@code degraded}; {@code unknown}
 * by default), declared from worst to best: a request's health is its worst record's ({@code
 * internal/controller/healthrecord_controller.go} {@code getHealthDataAndStates}).
 */
public enum HealthState {
    UNHEALTHY,
    DEGRADED,
    UNKNOWN,
    HEALTHY,
    READY;

    /** The state as Kratix writes it ({@code ready}, {@code unhealthy}, ...). */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state written as {@code value}; empty when it is none of them (case-sensitive, as the CRD's enum). */
    public static Optional<HealthState> of(String value) {
        for (HealthState state : values()) {
            if (state.value().equals(value)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
