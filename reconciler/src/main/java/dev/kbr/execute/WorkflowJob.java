package dev.kbr.execute;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.Promise;
import dev.kbr.model.WorkId;
import dev.kbr.model.WorkflowType;
import java.util.Objects;

/**
 * One object's workflow to run: whose Promise, which type, the object as its pipelines see it
 * ({@code /kratix/input/object.yaml}, status included) and why it runs.
 *
 * @param promise the Promise whose workflows these are
 * @param type promise or resource workflow
 * @param object the object; copied, so later changes of the caller's do not reach the job
 * @param displayName how reports name the object, e.g. {@code Promise redis} or {@code
 *     redis/default/example-redis}
 * @param name the object's name (the Promise's name for promise workflows)
 * @param namespace the request's namespace; empty for promise workflows
 * @param why why it runs, as the report prints it (see {@link dev.kbr.plan.RunReason})
 */
public record WorkflowJob(
        Promise promise,
        WorkflowType type,
        ObjectNode object,
        String displayName,
        String name,
        String namespace,
        String why) {
    public WorkflowJob {
        Objects.requireNonNull(promise, "promise");
        Objects.requireNonNull(type, "type");
        object = object.deepCopy();
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(why, "why");
    }

    @Override
    public ObjectNode object() {
        return object.deepCopy();
    }

    /** The Work a configure pipeline of this job writes (KRATIX.md §2.5: one Work per pipeline). */
    public WorkId workId(String pipeline) {
        return type == WorkflowType.PROMISE
                ? WorkId.promise(promise.name(), pipeline)
                : WorkId.resource(promise.name(), namespace, name, pipeline);
    }
}
