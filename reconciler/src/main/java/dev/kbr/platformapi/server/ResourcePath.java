package dev.kbr.platformapi.server;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A request path below a group version, as the Kubernetes API server lays them out: {@code
 * [namespaces/NS/]PLURAL[/NAME[/SUBRESOURCE]]}.
 *
 * @param group API group, {@code ""} for core ({@code /api/v1})
 * @param version the version in the path
 * @param plural the resource
 * @param namespace the namespace in the path, {@code ""} when the path names none
 * @param name the object's name, {@code ""} for the collection
 * @param subresource e.g. {@code status}, {@code ""} for the object itself
 */
record ResourcePath(String group, String version, String plural, String namespace, String name, String subresource) {
    /** Subresources of a namespace itself: {@code /api/v1/namespaces/NAME/status}. */
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    /**
     * @param segments the path's segments after the group version, none empty
     * @return empty when the segments are not a resource path
     */
    static Optional<ResourcePath> parse(String group, String version, List<String> segments) {
        int n = segments.size();
        if (n >= 3
                && segments.get(0).equals("namespaces")
                && !(n == 3 && NAMESPACE_SUBRESOURCES.contains(segments.get(2)))) {
            if (n > 5) {
                return Optional.empty();
            }
            return Optional.of(new ResourcePath(
                    group, version, segments.get(2), segments.get(1), at(segments, 3), at(segments, 4)));
        }
        if (n == 0 || n > 3) {
            return Optional.empty();
        }
        return Optional.of(new ResourcePath(group, version, segments.get(0), "", at(segments, 1), at(segments, 2)));
    }

    private static String at(List<String> segments, int index) {
        return index < segments.size() ? segments.get(index) : "";
    }

    /** The resource as RBAC names it: {@code plural} or {@code plural/subresource}. */
    String rbacResource() {
        return subresource.isEmpty() ? plural : plural + "/" + subresource;
    }

    /** The resource as Kubernetes messages name it, e.g. {@code namespaceclaims.example.com/status}. */
    String describe() {
        String resource = group.isEmpty() ? plural : plural + "." + group;
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }

    ApiError.Target target() {
        return new ApiError.Target(group, plural, name);
    }
}
