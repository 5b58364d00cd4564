package dev.kbr.platformapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * Who holds a session: one pipeline run, the object it reconciles and what it may do.
 *
 * @param description how reports name the run, e.g. {@code redis/default/example resource.configure
 *     instance}
 * @param self the object the pipeline reconciles: the only object whose {@code status} it may write
 * @param namespace the pipeline's namespace, mounted as the service account's {@code namespace}
 * @param rules what it may do: Kratix's pipeline Role plus the Promise's {@code rbac.permissions}
 * @param selfObject the object as the pipeline got it ({@code /kratix/input/object.yaml}): what
 *     reads of {@code self} return and what its status writes apply to, since earlier pipelines of
 *     the workflow may have changed its status after the view was published; copied
 */
public record Caller(
        String description, ObjectRef self, String namespace, List<PolicyRule> rules, ObjectNode selfObject) {
    public Caller {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(namespace, "namespace");
        rules = List.copyOf(rules);
        selfObject = selfObject.deepCopy();
    }

    @Override
    public ObjectNode selfObject() {
        return selfObject.deepCopy();
    }
}
