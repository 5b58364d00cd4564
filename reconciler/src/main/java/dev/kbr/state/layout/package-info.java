/**
 * Kratix's state-store layout, pure: where each file of a placed workload group goes in each
 * filepath mode ({@code nestedByMetadata}, {@code none} with its {@code .kratix} state files,
 * {@code aggregatedYAML}), the names Kratix gives Works and WorkPlacements (deterministic here),
 * the canary files, and the format and location of kbr's records. Mirrors Kratix {@code
 * internal/controller/workplacement_controller.go} and {@code destination_controller.go}. May
 * import {@code model}, {@code state} and Jackson.
 */
package dev.kbr.state.layout;
