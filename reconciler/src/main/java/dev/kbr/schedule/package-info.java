/**
 * Scheduling, pure: workload groups built from a pipeline's output and its {@code
 * destination-selectors.yaml}, selector resolution with Kratix's precedence, and placement of
 * each group onto Destinations (every match for dependencies; exactly one, sticky, for resources).
 * Mirrors Kratix's {@code work-creator/lib/work_creator.go} and {@code
 * internal/controller/scheduler.go}. May import {@code model} only.
 */
package dev.kbr.schedule;
