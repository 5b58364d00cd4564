package dev.kbr.platformapi.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.platformapi.ServedKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Kubernetes' discovery documents for the kinds served ({@code /version}, {@code /api}, {@code
 * /api/v1}, {@code /apis}, {@code /apis/GROUP}, {@code /apis/GROUP/VERSION}), always as the plain
 * {@code application/json} documents: clients asking for aggregated discovery ({@code
 * apidiscovery.k8s.io/v2}) see from the {@code Content-Type} that they got the legacy form and
 * read it, as they do from older API servers. Verbs are what kbr really serves: {@code get} and
 * {@code list} for every kind, writes only for Promise APIs, {@code get} alone for Secrets.
 */
final class Discovery {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Secrets are served by name from {@code --secrets-dir}, whatever the view holds. */
    static final ServedKind SECRETS =
            new ServedKind("", "v1", "Secret", "secrets", "secret", List.of(), true, Optional.empty());

    private final List<ServedKind> kinds;

    /** @param kinds the view's kinds; Secrets are added when absent */
    Discovery(List<ServedKind> kinds) {
        List<ServedKind> all = new ArrayList<>(kinds);
        if (all.stream().noneMatch(Discovery::isSecrets)) {
            all.add(SECRETS);
        }
        this.kinds = List.copyOf(all);
    }

    /** The kind served at {@code group/version/plural}. */
    Optional<ServedKind> kind(String group, String version, String plural) {
        return kinds.stream()
                .filter(kind -> kind.group().equals(group)
                        && kind.version().equals(version)
                        && kind.plural().equals(plural))
                .findFirst();
    }

    /** Whether objects of {@code kind} have a {@code status} subresource: custom resources do. */
    static boolean hasStatus(ServedKind kind) {
        return !kind.group().isEmpty();
    }

    static ObjectNode version() {
        ObjectNode version = JSON.objectNode();
        version.put("major", "1");
        version.put("minor", "32");
        version.put("gitVersion", "v1.32.0+kbr");
        version.put("platform", "linux/amd64");
        return version;
    }

    static ObjectNode apiVersions() {
        ObjectNode versions = JSON.objectNode();
        versions.put("kind", "APIVersions");
        versions.putArray("versions").add("v1");
        versions.putArray("serverAddressByClientCIDRs");
        return versions;
    }

    ObjectNode groupList() {
        ObjectNode list = JSON.objectNode();
        list.put("kind", "APIGroupList");
        list.put("apiVersion", "v1");
        ArrayNode groups = list.putArray("groups");
        groupVersions().forEach((group, versions) -> groups.add(group(group, versions)));
        return list;
    }

    /** {@code /apis/GROUP}, empty when the group is not served. */
    Optional<ObjectNode> group(String group) {
        return Optional.ofNullable(groupVersions().get(group)).map(versions -> group(group, versions));
    }

    /** {@code /api/v1} or {@code /apis/GROUP/VERSION}, empty when not served. */
    Optional<ObjectNode> resources(String group, String version) {
        List<ServedKind> served = kinds.stream()
                .filter(kind -> kind.group().equals(group) && kind.version().equals(version))
                .toList();
        if (served.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode list = JSON.objectNode();
        list.put("kind", "APIResourceList");
        list.put("apiVersion", "v1");
        list.put("groupVersion", served.get(0).apiVersion());
        ArrayNode resources = list.putArray("resources");
        for (ServedKind kind : served) {
            ObjectNode resource = resources.addObject();
            resource.put("name", kind.plural());
            resource.put("singularName", kind.singular());
            resource.put("namespaced", kind.namespaced());
            resource.put("kind", kind.kind());
            verbs(resource, verbs(kind));
            if (!kind.shortNames().isEmpty()) {
                kind.shortNames().forEach(resource.putArray("shortNames")::add);
            }
            if (hasStatus(kind)) {
                ObjectNode status = resources.addObject();
                status.put("name", kind.plural() + "/status");
                status.put("singularName", "");
                status.put("namespaced", kind.namespaced());
                status.put("kind", kind.kind());
                verbs(status, List.of("get", "patch", "update"));
            }
        }
        return Optional.of(list);
    }

    /** What kbr serves of {@code kind}. */
    private static List<String> verbs(ServedKind kind) {
        if (isSecrets(kind)) {
            return List.of("get");
        }
        return kind.isPromiseApi()
                ? List.of("create", "delete", "get", "list", "patch", "update")
                : List.of("get", "list");
    }

    static boolean isSecrets(ServedKind kind) {
        return kind.group().isEmpty() && kind.plural().equals("secrets");
    }

    private static void verbs(ObjectNode resource, List<String> verbs) {
        verbs.forEach(resource.putArray("verbs")::add);
    }

    /** Groups (core excluded) and their versions, in the order the view lists the kinds. */
    private Map<String, Set<String>> groupVersions() {
        Map<String, Set<String>> groups = new LinkedHashMap<>();
        for (ServedKind kind : kinds) {
            if (!kind.group().isEmpty()) {
                groups.computeIfAbsent(kind.group(), g -> new LinkedHashSet<>()).add(kind.version());
            }
        }
        return groups;
    }

    private static ObjectNode group(String name, Set<String> versions) {
        ObjectNode group = JSON.objectNode();
        group.put("kind", "APIGroup");
        group.put("apiVersion", "v1");
        group.put("name", name);
        ArrayNode list = group.putArray("versions");
        for (String version : versions) {
            list.addObject().put("groupVersion", name + "/" + version).put("version", version);
        }
        group.set("preferredVersion", list.get(0).deepCopy());
        return group;
    }
}
