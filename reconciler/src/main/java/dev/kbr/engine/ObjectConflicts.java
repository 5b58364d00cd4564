package dev.kbr.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kbr.load.YamlDocument;
import dev.kbr.load.YamlReader;
import dev.kbr.model.WorkId;
import dev.kbr.state.DesiredFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds Kubernetes objects that two Works write into one Destination. Flux applies a Destination's folder as one Kustomization and fails all of it when
 * one object appears twice, so one team's pipeline could stop every other team's delivery.
 *
 * <p>An object is identified by its API group, kind, {@code metadata.namespace} (as written) and
 * {@code metadata.name}, read from every YAML document of every {@code .yaml}, {@code .yml} or
 * {@code .json} workload; documents without apiVersion, kind and name, and files that do not
 * parse, are not Kubernetes objects and are ignored here. Objects are compared per Destination
 * on the workloads, so the rule holds in every filepath mode, {@code aggregatedYAML} included.
 *
 * <p>The rule: a Work that ran in this pass and newly writes an object another Work also writes
 * introduces the conflict and is treated as failed (it keeps what it delivered before). When no
 * Work newly writes it (both wrote it before), every Work that ran in this pass is failed.
 * Conflicts among Works that did not run are left as they are.
 */
final class ObjectConflicts {
    /** Above this many new object names, kept files are parsed without searching them first. */
    private static final int MAX_NAMES_SEARCHED = 64;

    private ObjectConflicts() {}

    /**
     * One workload placed on a Destination.
     *
     * @param destination the Destination
     * @param work the Work writing it
     * @param file where it lands in the state store (for {@code aggregatedYAML}, the aggregated
     *     file, then ", workload" and the workload's path)
     * @param filepath the workload's path in the Work
     * @param ran true when the Work's output is new on this Destination: its pipeline ran in this
     *     pass, or it was not placed here before
     * @param content the workload's content
     */
    record Placed(String destination, WorkId work, String file, String filepath, boolean ran, DesiredFile content) {}

    /** Reads content for the check; empty when it cannot be read (the file is then ignored). */
    interface Contents {
        /** The bytes of a placed workload. */
        Optional<byte[]> of(Placed placed);

        /** The bytes of every workload {@code work} delivered to {@code destination} before this pass. */
        List<byte[]> previous(WorkId work, String destination);
    }

    /**
     * What the check decided.
     *
     * @param failed Works to treat as failed
     * @param messages one error per conflicting object, naming the object, the Destination, and
     *     every Work with its file
     */
    record Result(Set<WorkId> failed, List<String> messages) {}

    /** Checks every Destination that has at least one workload of a Work that ran. */
    static Result check(List<Placed> placed, Contents contents) {
        Map<String, List<Placed>> byDestination = new TreeMap<>();
        placed.forEach(p -> byDestination
                .computeIfAbsent(p.destination(), k -> new ArrayList<>())
                .add(p));
        Set<WorkId> failed = new TreeSet<>();
        List<String> messages = new ArrayList<>();
        for (var entry : byDestination.entrySet()) {
            List<Placed> here = entry.getValue();
            if (here.stream().noneMatch(Placed::ran)) {
                // Nothing new here: whatever is written was written before and checked then.
                continue;
            }
            SortedMap<String, SortedMap<WorkId, String>> writers = new TreeMap<>();
            Set<String> names = new TreeSet<>();
            for (Placed p : here) {
                if (p.ran() && isManifest(p.filepath())) {
                    contents.of(p)
                            .ifPresent(bytes -> objects(p.file(), bytes).forEach(o -> {
                                writers.computeIfAbsent(o, k -> new TreeMap<>()).putIfAbsent(p.work(), p.file());
                                names.add(o.substring(o.lastIndexOf('/') + 1));
                            }));
                }
            }
            for (Placed p : here) {
                if (!p.ran() && isManifest(p.filepath())) {
                    contents.of(p)
                            // Parsing only files that mention a new object's name keeps a pass that
                            // changes one request from parsing every file kept on the Destination.
                            .filter(bytes -> mentionsAny(bytes, names))
                            .ifPresent(bytes -> objects(p.file(), bytes).stream()
                                    .filter(writers::containsKey)
                                    .forEach(o -> writers.get(o).putIfAbsent(p.work(), p.file())));
                }
            }
            Set<WorkId> ran = new TreeSet<>();
            here.stream().filter(Placed::ran).forEach(p -> ran.add(p.work()));
            for (var object : writers.entrySet()) {
                SortedMap<WorkId, String> works = object.getValue();
                if (works.size() < 2 || works.keySet().stream().noneMatch(ran::contains)) {
                    continue;
                }
                Set<WorkId> introducers = new TreeSet<>();
                for (WorkId work : works.keySet()) {
                    if (ran.contains(work) && !delivered(contents, work, entry.getKey(), object.getKey())) {
                        introducers.add(work);
                    }
                }
                if (introducers.isEmpty()) {
                    works.keySet().stream().filter(ran::contains).forEach(introducers::add);
                }
                failed.addAll(introducers);
                List<String> named = new ArrayList<>();
                works.forEach((work, file) -> named.add(work + " (" + file + ")"));
                messages.add(object.getKey() + " is written to Destination " + entry.getKey() + " by "
                        + String.join(" and ", named) + "; Flux would fail the whole Kustomization, so "
                        + String.join(
                                ", ", introducers.stream().map(WorkId::toString).toList())
                        + (introducers.size() == 1 ? " is" : " are")
                        + " treated as failed and keep" + (introducers.size() == 1 ? "s" : "")
                        + " what was delivered before; change the pipelines so that only one Work writes it");
            }
        }
        return new Result(failed, messages);
    }

    /** Whether the text holds any of the names; always true when there are too many to search. */
    private static boolean mentionsAny(byte[] bytes, Set<String> names) {
        if (names.size() > MAX_NAMES_SEARCHED) {
            return true;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        return names.stream().anyMatch(text::contains);
    }

    private static boolean delivered(Contents contents, WorkId work, String destination, String object) {
        for (byte[] bytes : contents.previous(work, destination)) {
            if (objects("recorded output of " + work, bytes).contains(object)) {
                return true;
            }
        }
        return false;
    }

    /** Files Flux's kustomize reads as manifests. */
    static boolean isManifest(String filepath) {
        return filepath.endsWith(".yaml") || filepath.endsWith(".yml") || filepath.endsWith(".json");
    }

    /**
     * The Kubernetes objects in a file, each as {@code Kind[.group] [namespace/]name}; empty when
     * the file does not parse or holds no object.
     */
    static Set<String> objects(String file, byte[] bytes) {
        Set<String> found = new TreeSet<>();
        YamlReader.Result read = YamlReader.read(file, bytes);
        for (YamlDocument doc : read.documents()) {
            JsonNode body = doc.body();
            String apiVersion = body.path("apiVersion").asText("");
            String kind = body.path("kind").asText("");
            String name = body.path("metadata").path("name").asText("");
            if (apiVersion.isEmpty() || kind.isEmpty() || name.isEmpty()) {
                continue;
            }
            String namespace = body.path("metadata").path("namespace").asText("");
            int slash = apiVersion.indexOf('/');
            String group = slash < 0 ? "" : apiVersion.substring(0, slash);
            found.add(kind + (group.isEmpty() ? "" : "." + group) + " " + (namespace.isEmpty() ? "" : namespace + "/")
                    + name);
        }
        return found;
    }
}
