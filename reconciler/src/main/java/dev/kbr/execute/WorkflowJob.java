package dev.kbr.execute;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.Promise;
import dev.kbr.model.WorkId;
import dev.kbr.model.WorkflowType;
import java.util.Objects;

/**
 * One object's workflow to run: whose Promise, which object (a Promise's own workflow, or a
 * resource request's), the object as its pipelines see it ({@code /kratix/input/object.yaml},
 * status included) and why it runs.
 *
 * @param promise the Promise whose workflows these are
 * @param key the object: {@link ObjectKey#promise} for the Promise's workflow, else the request
 * @param object the object; copied, so later changes of the caller's do not reach the job
 * @param why why it runs, as the report prints it (see {@link dev.kbr.plan.RunReason})
 */
public record WorkflowJob(Promise promise, ObjectKey key, ObjectNode object, String why) {
    public WorkflowJob {
        Objects.requireNonNull(promise, "promise");
        Objects.requireNonNull(key, "key");
        object = object.deepCopy();
        Objects.requireNonNull(why, "why");
    }

    @Override
    public ObjectNode object() {
        return object.deepCopy();
    }

    /** {@code promise} for the Promise's own workflow, else {@code resource}. */
    public WorkflowType type() {
        return key.isPromise() ? WorkflowType.PROMISE : WorkflowType.RESOURCE;
    }

    /** How reports name the object, e.g. {@code Promise redis} or {@code redis/default/example}. */
    public String displayName() {
        return key.toString();
    }

    /** The object's name ({@code KRATIX_OBJECT_NAME}): the Promise's for its own workflow. */
    public String name() {
        return key.isPromise() ? key.promise() : key.name();
    }

    /** The request's namespace; empty for a Promise's workflow. */
    public String namespace() {
        return key.namespace();
    }

    /** The Work a configure pipeline of this job writes (KRATIX.md §2.5: one Work per pipeline). */
    public WorkId workId(String pipeline) {
        return key.isPromise()
                ? WorkId.promise(promise.name(), pipeline)
                : WorkId.resource(promise.name(), key.namespace(), key.name(), pipeline);
    }
}
