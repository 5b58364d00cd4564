/**
 * The execute phase: runs an object's workflow through the pipeline runtime ({@link
 * dev.kbr.execute.WorkflowExecutor}) and turns each pipeline's result into a Work, a status and
 * a workflow outcome, for both a pass and {@code kbr render}. Knows nothing of the pass around it
 * or of state stores: every call takes values and returns a value.
 */
package dev.kbr.execute;
