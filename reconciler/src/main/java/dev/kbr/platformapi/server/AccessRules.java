package dev.kbr.platformapi.server;

import dev.kbr.platformapi.PolicyRule;
import java.util.List;

/**
 * Kubernetes RBAC's rule matching ({@code pkg/apis/rbac/v1/evaluation_helpers.go}) over a run's
 * {@link PolicyRule}s: a call is allowed when one rule matches its verb, API group, resource,
 * name and namespace. {@code *} matches every verb, group, resource (subresources included) and
 * namespace; {@code *}{@code /status} matches the {@code status} subresource of every resource.
 */
final class AccessRules {
    private AccessRules() {}

    /**
     * @param verb {@code get}, {@code list}, {@code watch}, {@code create}, {@code update}, {@code
     *     patch}, {@code delete} or {@code deletecollection}
     * @param resource {@code plural} or {@code plural/subresource}
     * @param namespace the object's namespace, {@code ""} for cluster scope (which only a rule for
     *     namespace {@code *} grants)
     * @param name the object's name, {@code ""} for calls on a collection (which a rule limited to
     *     names does not grant, as in Kubernetes)
     */
    static boolean allows(
            List<PolicyRule> rules, String verb, String group, String resource, String namespace, String name) {
        return rules.stream().anyMatch(rule -> matches(rule, verb, group, resource, namespace, name));
    }

    private static boolean matches(
            PolicyRule rule, String verb, String group, String resource, String namespace, String name) {
        return (rule.verbs().contains("*") || rule.verbs().contains(verb))
                && (rule.apiGroups().contains("*") || rule.apiGroups().contains(group))
                && resourceMatches(rule.resources(), resource)
                && (rule.resourceNames().isEmpty()
                        || (!name.isEmpty() && rule.resourceNames().contains(name)))
                && (rule.namespace().equals("*")
                        || (!namespace.isEmpty() && rule.namespace().equals(namespace)));
    }

    private static boolean resourceMatches(List<String> granted, String resource) {
        if (granted.contains("*") || granted.contains(resource)) {
            return true;
        }
        int slash = resource.indexOf('/');
        return slash > 0 && granted.contains("*" + resource.substring(slash));
    }
}
