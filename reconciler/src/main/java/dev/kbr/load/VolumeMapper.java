package dev.kbr.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.KeySource;
import dev.kbr.model.KeyToPath;
import dev.kbr.model.Volume;
import dev.kbr.model.VolumeSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Maps a Pipeline's {@code spec.volumes} to {@link Volume}s, with Kubernetes' validation of the
 * kinds kbr provides ({@code pkg/apis/core/validation/validation.go}: one source per volume, a
 * named Secret or ConfigMap, relative item paths without {@code ..}, modes from 0 to 0777, no
 * path twice in one volume). A volume without a source is an {@code emptyDir}, as Kubernetes
 * defaults it.
 */
final class VolumeMapper extends DocumentFields {
    /** Kubernetes' {@code defaultMode} when none is given (0644). */
    static final int DEFAULT_MODE = 0644;

    private static final List<String> KINDS = List.of("emptyDir", "secret", "configMap", "projected");

    VolumeMapper(YamlDocument doc, List<Diagnostic> diagnostics) {
        super(doc, diagnostics);
    }

    /** The volumes at {@code path}; each one in error is reported and left out. */
    List<Volume> volumes(String path) {
        List<Volume> volumes = new ArrayList<>();
        JsonNode list = node(path);
        if (!list.isMissingNode() && !list.isNull() && !list.isArray()) {
            error(path, "must be a list of volumes, not " + typeName(list));
            return volumes;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; list.isArray() && i < list.size(); i++) {
            String p = path + "[" + i + "]";
            String name = requiredText(p + ".name", "name the volume");
            if (name == null) {
                continue;
            }
            if (!names.add(name)) {
                error(p + ".name", "volume " + name + " is defined twice; give each volume its own name");
                continue;
            }
            source(p, name).ifPresent(source -> volumes.add(new Volume(name, source)));
        }
        return volumes;
    }

    private Optional<VolumeSource> source(String p, String name) {
        List<String> kinds = new ArrayList<>();
        node(p).fieldNames().forEachRemaining(kinds::add);
        kinds.remove("name");
        if (kinds.isEmpty()) {
            return Optional.of(new VolumeSource.EmptyDir());
        }
        if (kinds.size() > 1) {
            error(p, "volume " + name + " has several sources " + kinds + "; give it exactly one");
            return Optional.empty();
        }
        String kind = kinds.get(0);
        if (!KINDS.contains(kind)) {
            error(
                    p + "." + kind,
                    "volume " + name + " is of kind " + kind + ", which kbr cannot provide outside a cluster;"
                            + " kbr provides emptyDir, secret, configMap and projected (of secret and configMap)"
                            + " volumes");
            return Optional.empty();
        }
        expectMap(p + "." + kind);
        int errorsBefore = errorCount();
        String at = p + "." + kind;
        VolumeSource source = switch (kind) {
            case "emptyDir" -> new VolumeSource.EmptyDir();
            case "secret" ->
                new VolumeSource.KeyFiles(
                        VolumeSource.Kind.SECRET,
                        keySource(at, true, "secretName").stream().toList(),
                        mode(at + ".defaultMode").orElse(DEFAULT_MODE));
            case "configMap" ->
                new VolumeSource.KeyFiles(
                        VolumeSource.Kind.CONFIG_MAP,
                        keySource(at, false, "name").stream().toList(),
                        mode(at + ".defaultMode").orElse(DEFAULT_MODE));
            default ->
                new VolumeSource.KeyFiles(
                        VolumeSource.Kind.PROJECTED,
                        projections(at + ".sources"),
                        mode(at + ".defaultMode").orElse(DEFAULT_MODE));
        };
        if (source instanceof VolumeSource.KeyFiles files) {
            Set<String> paths = new HashSet<>();
            for (int s = 0; s < files.sources().size(); s++) {
                for (KeyToPath item : files.sources().get(s).items()) {
                    if (!paths.add(item.path())) {
                        error(
                                at,
                                "volume " + name + " projects two keys to path " + item.path()
                                        + "; give each item its own path");
                    }
                }
            }
        }
        return errorCount() > errorsBefore ? Optional.empty() : Optional.of(source);
    }

    private List<KeySource> projections(String path) {
        List<KeySource> sources = new ArrayList<>();
        JsonNode list = node(path);
        if (!list.isMissingNode() && !list.isNull() && !list.isArray()) {
            error(path, "must be a list of projections, not " + typeName(list));
            return sources;
        }
        for (int i = 0; list.isArray() && i < list.size(); i++) {
            String p = path + "[" + i + "]";
            List<String> kinds = new ArrayList<>();
            node(p).fieldNames().forEachRemaining(kinds::add);
            if (kinds.size() != 1) {
                error(p, "must have exactly one of secret and configMap, not " + kinds);
            } else if (kinds.get(0).equals("secret") || kinds.get(0).equals("configMap")) {
                expectMap(p + "." + kinds.get(0));
                keySource(p + "." + kinds.get(0), kinds.get(0).equals("secret"), "name")
                        .ifPresent(sources::add);
            } else {
                error(
                        p + "." + kinds.get(0),
                        "is a " + kinds.get(0) + " projection, which kbr cannot provide outside a cluster;"
                                + " project only secret and configMap sources");
            }
        }
        return sources;
    }

    private Optional<KeySource> keySource(String path, boolean secret, String nameField) {
        String name = requiredText(
                path + "." + nameField, "name the " + (secret ? "Secret" : "ConfigMap") + " whose keys become files");
        boolean optional = optionalBoolean(path + ".optional", false);
        List<KeyToPath> items = new ArrayList<>();
        JsonNode list = node(path + ".items");
        if (!list.isMissingNode() && !list.isNull() && !list.isArray()) {
            error(path + ".items", "must be a list of {key, path, mode}, not " + typeName(list));
        }
        for (int i = 0; list.isArray() && i < list.size(); i++) {
            String p = path + ".items[" + i + "]";
            String key = requiredText(p + ".key", "name the key to project");
            String file = requiredText(p + ".path", "set the file's path in the volume");
            OptionalInt mode = mode(p + ".mode");
            if (file != null && !relative(file)) {
                error(p + ".path", "must be a relative path without a `..` segment, not " + file);
            } else if (key != null && file != null) {
                items.add(new KeyToPath(key, normalise(file), mode));
            }
        }
        return name == null ? Optional.empty() : Optional.of(new KeySource(secret, name, items, optional));
    }

    /** A file mode: an integer from 0 to 0777 (written in octal as {@code 0400} or decimal as {@code 256}). */
    private OptionalInt mode(String path) {
        JsonNode value = node(path);
        if (value.isMissingNode() || value.isNull()) {
            return OptionalInt.empty();
        }
        if (!value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > 0777) {
            error(path, "must be a file mode from 0 to 0777 (511), e.g. 0400 or 0644, not " + value);
            return OptionalInt.empty();
        }
        return OptionalInt.of(value.asInt());
    }

    /** Kubernetes' rule for an item path: not absolute, no {@code ..} segment. */
    private static boolean relative(String path) {
        if (path.startsWith("/")) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                return false;
            }
        }
        return !normalise(path).isEmpty();
    }

    private static String normalise(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/", -1)) {
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return String.join("/", segments);
    }
}
