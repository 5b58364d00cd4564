package dev.kbr.model;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a pipeline volume holds (Kubernetes core/v1 {@code VolumeSource}, the kinds kbr provides).
 * A {@link KeyFiles} volume is resolved into {@link Files} before its pipeline runs; runners take
 * only {@link EmptyDir} and {@link Files}.
 */
public sealed interface VolumeSource {

    /** Which volume kind a Promise wrote for a volume made of keys. */
    enum Kind {
        /** {@code secret}: one Secret's keys. */
        SECRET("secret"),
        /** {@code configMap}: one ConfigMap's keys. */
        CONFIG_MAP("configMap"),
        /** {@code projected}: keys of several Secrets and ConfigMaps in one folder. */
        PROJECTED("projected");

        private final String field;

        Kind(String field) {
            this.field = field;
        }

        /** The field naming this kind in a volume, e.g. {@code configMap}. */
        public String field() {
            return field;
        }
    }

    /** {@code emptyDir}: starts empty, and the containers see each other's changes in order. */
    record EmptyDir() implements VolumeSource {}

    /**
     * A {@code secret}, {@code configMap} or {@code projected} volume as written: which keys of
     * which objects become files, not yet looked up.
     *
     * @param kind the kind written
     * @param sources the objects whose keys become files, in order (exactly one unless projected)
     * @param defaultMode permission bits of a file without its own {@code mode}, e.g. {@code 0644}
     */
    record KeyFiles(Kind kind, List<KeySource> sources, int defaultMode) implements VolumeSource {
        public KeyFiles {
            Objects.requireNonNull(kind, "kind");
            sources = List.copyOf(sources);
        }
    }

    /**
     * A {@link KeyFiles} volume resolved into its files, read-only for every container.
     *
     * @param kind the kind written
     * @param files each file by its relative path ({@code /}-separated, normalised), sorted
     */
    record Files(Kind kind, SortedMap<String, VolumeFile> files) implements VolumeSource {
        public Files {
            Objects.requireNonNull(kind, "kind");
            files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
        }
    }
}
