/**
 * The Kubernetes adapter of {@link dev.kbr.pipeline.PipelineRunner}: runs each pipeline as one
 * Pod in a configured namespace, shaped like Kratix's pipeline Pods (user containers as init
 * containers over emptyDir volumes at {@code /kratix/input}, {@code /kratix/output} and {@code
 * /kratix/metadata}), and copies the outputs out as a tar stream. The only user of the fabric8
 * Kubernetes client; none of its types leave this package. May import {@code pipeline}, {@code
 * model}, {@code run} and fabric8.
 */
package dev.kbr.pipeline.kubernetes;
