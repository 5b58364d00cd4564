package dev.kbr.schedule;

/**
 * Where a workload group's selector came from; on conflicting keys a later source wins
 * (Kratix {@code internal/controller/scheduler.go}: resource-workflow &lt; promise-workflow &lt;
 * promise).
 */
public enum SelectorSource {
    RESOURCE_WORKFLOW,
    PROMISE_WORKFLOW,
    PROMISE
}
