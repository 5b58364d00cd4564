/**
 * Running Kratix pipelines: the {@link dev.kbr.pipeline.PipelineRunner} interface, what a run
 * takes ({@link dev.kbr.pipeline.PipelineInvocation}) and gives ({@link
 * dev.kbr.pipeline.PipelineResult}), the {@code KRATIX_*} environment and Kubernetes' {@code
 * $(VAR)} expansion, and the checks applied to untrusted output trees. May import {@code model}
 * and archive libraries; adapters live in sub-packages.
 */
package dev.kbr.pipeline;
