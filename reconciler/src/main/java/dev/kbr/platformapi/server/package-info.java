/**
 * The platform API server: a Kubernetes-compatible HTTPS API on loopback, enough for {@code
 * kubectl}, client-go, fabric8 and the Python kubernetes client, serving a pass's {@link
 * dev.kbr.platformapi.ApiView} to its pipelines (discovery, get, list, the {@code status}
 * subresource of a pipeline's own object, and create, update, patch and delete of resource
 * requests created through the API). Every call is authenticated by a per-run bearer token and
 * checked against the run's RBAC rules; errors are Kubernetes {@code Status} objects.
 *
 * <p>HTTP: the JDK's {@code com.sun.net.httpserver.HttpsServer} with a small fixed pool. fabric8's
 * {@code kubernetes-server-mock} (CRUD mode) was considered and left out: it is a test artifact
 * built on a mock web server, with no hook for authentication or RBAC, no subresource rules and
 * none of kbr's ownership rules, so kbr would have fought it on every call; the JDK server adds no
 * dependency and its exchange is all a few routes need. TLS: a CA and a server certificate made at
 * start with BouncyCastle's X.509 builders (the JDK's providers do the cryptography); the CA key
 * signs once and is then dropped.
 *
 * <p>Constructed only by {@code cli}. May import {@code dev.kbr.platformapi}, Jackson, BouncyCastle
 * ({@code org.bouncycastle..}), fabric8's {@code io.fabric8.zjsonpatch} (JSON Patch) and the JDK.
 */
package dev.kbr.platformapi.server;
