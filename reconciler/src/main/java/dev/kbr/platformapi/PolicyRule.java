package dev.kbr.platformapi;

import java.util.List;
import java.util.Objects;

/**
 * One permission a pipeline run holds: Kubernetes' RBAC {@code PolicyRule} plus the namespace it
 * applies in, as Kratix's pipeline {@code rbac.permissions[]} write it (Kratix {@code
 * api/v1alpha1/pipeline_types.go}, {@code pipeline_factory.go}).
 *
 * @param apiGroups groups, {@code ""} for core, {@code *} for all
 * @param resources resources such as {@code namespaces} or {@code namespaces/status}, {@code *} for
 *     all
 * @param verbs {@code get}, {@code list}, {@code watch}, {@code create}, {@code update}, {@code
 *     patch}, {@code delete}, or {@code *}
 * @param resourceNames names it is limited to; empty for any
 * @param namespace the namespace it applies in, {@code *} for every namespace and for
 *     cluster-scoped objects
 */
public record PolicyRule(
        List<String> apiGroups,
        List<String> resources,
        List<String> verbs,
        List<String> resourceNames,
        String namespace) {
    public PolicyRule {
        apiGroups = List.copyOf(apiGroups);
        resources = List.copyOf(resources);
        verbs = List.copyOf(verbs);
        resourceNames = List.copyOf(resourceNames);
        Objects.requireNonNull(namespace, "namespace");
    }
}
