package dev.kbr.pipeline.docker;

import dev.kbr.model.Volume;
import dev.kbr.model.VolumeSource;
import dev.kbr.pipeline.TarTrees;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the containers of one run share, as the previous container left it.
 *
 * @param output {@code /kratix/output}
 * @param metadata {@code /kratix/metadata}
 * @param volumes each pipeline volume's content, by volume name
 */
record Shared(TarTrees.Tree output, TarTrees.Tree metadata, SortedMap<String, TarTrees.Tree> volumes) {
    Shared {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(metadata, "metadata");
        volumes = Collections.unmodifiableSortedMap(new TreeMap<>(volumes));
    }

    /** These contents with {@code name}'s replaced by {@code content}. */
    Shared withVolume(String name, TarTrees.Tree content) {
        SortedMap<String, TarTrees.Tree> all = new TreeMap<>(volumes);
        all.put(name, content);
        return new Shared(output, metadata, all);
    }

    /**
     * As for a Pod's first container: everything empty but the Secret, ConfigMap and
     * projected volumes, which hold their files with their modes.
     */
    static Shared start(List<Volume> volumes) {
        SortedMap<String, TarTrees.Tree> start = new TreeMap<>();
        for (Volume volume : volumes) {
            if (volume.source() instanceof VolumeSource.Files files) {
                SortedMap<String, byte[]> contents = new TreeMap<>();
                SortedMap<String, Integer> modes = new TreeMap<>();
                files.files().forEach((path, file) -> {
                    contents.put(path, file.content());
                    modes.put(path, file.mode());
                });
                start.put(volume.name(), new TarTrees.Tree(contents, new TreeSet<>(), modes));
            } else {
                start.put(volume.name(), TarTrees.Tree.empty());
            }
        }
        return new Shared(TarTrees.Tree.empty(), TarTrees.Tree.empty(), start);
    }

    /** The sum of all file sizes, in bytes. */
    long totalBytes() {
        long total = output.totalBytes() + metadata.totalBytes();
        for (TarTrees.Tree volume : volumes.values()) {
            total += volume.totalBytes();
        }
        return total;
    }
}
