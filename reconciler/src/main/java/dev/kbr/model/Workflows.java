package dev.kbr.model;

import java.util.List;

/**
 * A Promise's {@code spec.workflows}: four lists of pipelines.
 *
 * @param promiseConfigure run when the Promise is installed or changes, in order
 * @param promiseDelete only the first is run, when the Promise is removed
 * @param resourceConfigure run for each resource request, in order
 * @param resourceDelete only the first is run, when a request is removed
 */
public record Workflows(
        List<Pipeline> promiseConfigure,
        List<Pipeline> promiseDelete,
        List<Pipeline> resourceConfigure,
        List<Pipeline> resourceDelete) {
    public Workflows {
        promiseConfigure = List.copyOf(promiseConfigure);
        promiseDelete = List.copyOf(promiseDelete);
        resourceConfigure = List.copyOf(resourceConfigure);
        resourceDelete = List.copyOf(resourceDelete);
    }

    public static Workflows none() {
        return new Workflows(List.of(), List.of(), List.of(), List.of());
    }

    /** The pipelines of one workflow type and action. */
    public List<Pipeline> of(WorkflowType type, WorkflowAction action) {
        return switch (type) {
            case PROMISE -> action == WorkflowAction.CONFIGURE ? promiseConfigure : promiseDelete;
            case RESOURCE -> action == WorkflowAction.CONFIGURE ? resourceConfigure : resourceDelete;
        };
    }
}
