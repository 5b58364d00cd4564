/**
 * The platform API: a Kubernetes-compatible view of the platform that a pass serves to its
 * pipelines, so that Kratix SDK calls ({@code publish_status}), {@code kubectl get} and Kubernetes
 * clients work outside a cluster. This package holds the contract between the pass and the server:
 * what is served ({@link dev.kbr.platformapi.ApiView}), who asks ({@link
 * dev.kbr.platformapi.Caller}) and what a pipeline run wrote ({@link dev.kbr.platformapi.ApiWrites}).
 * The HTTPS server itself lives in {@code platformapi.server}, constructed only by {@code cli}. May
 * import {@code model} and Jackson trees.
 */
package dev.kbr.platformapi;
