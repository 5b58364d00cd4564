/**
 * Immutable domain records of a platform repo: Promises and their pipelines, resource requests,
 * Destinations, state stores, selectors, and diagnostics with their source location; and {@link
 * dev.kbr.model.PipelineSpec}, the one typed reading of a pipeline container's {@code resources}
 * and {@code securityContext} that both runners and validation share.
 *
 * <p>Records here carry no Jackson annotations; unstructured bodies (a request's whole object, a
 * CRD schema, static dependencies) are kept as Jackson tree nodes and must not be mutated. May
 * import {@code java.*} and Jackson tree types only.
 */
package dev.kbr.model;
