package dev.kbr.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a pipeline needs to reach the platform API kbr serves during a pass, given to it where
 * in-cluster Kubernetes clients look: {@code KUBERNETES_SERVICE_HOST} and {@code
 * KUBERNETES_SERVICE_PORT}, and {@code token}, {@code ca.crt} and {@code namespace} in {@link
 * #SERVICE_ACCOUNT_DIRECTORY}, as the kubelet mounts a Pod's service account token.
 *
 * @param host the server's address as the container reaches it, e.g. {@code 127.0.0.1}
 * @param port the server's port
 * @param token the run's bearer token; never logged or reported
 * @param caCertificatePem the PEM of the CA that signed the server's certificate
 * @param namespace the pipeline's namespace
 */
public record PlatformAccess(String host, int port, String token, String caCertificatePem, String namespace) {
    /** Where in-cluster clients read the service account's token, CA and namespace. */
    public static final String SERVICE_ACCOUNT_DIRECTORY = "/var/run/secrets/kubernetes.io/serviceaccount";

    public PlatformAccess {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(caCertificatePem, "caCertificatePem");
        Objects.requireNonNull(namespace, "namespace");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535, not " + port);
        }
    }

    /** The variables in-cluster clients read, as the kubelet sets them for a Pod. */
    public SortedMap<String, String> environment() {
        SortedMap<String, String> env = new TreeMap<>();
        env.put("KUBERNETES_SERVICE_HOST", host);
        env.put("KUBERNETES_SERVICE_PORT", Integer.toString(port));
        env.put("KUBERNETES_SERVICE_PORT_HTTPS", Integer.toString(port));
        return env;
    }

    /** The files of {@link #SERVICE_ACCOUNT_DIRECTORY}, by name. */
    public SortedMap<String, byte[]> serviceAccountFiles() {
        SortedMap<String, byte[]> files = new TreeMap<>();
        files.put("token", token.getBytes(StandardCharsets.UTF_8));
        files.put("ca.crt", caCertificatePem.getBytes(StandardCharsets.UTF_8));
        files.put("namespace", namespace.getBytes(StandardCharsets.UTF_8));
        return files;
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "PlatformAccess[" + host + ":" + port + ", namespace " + namespace + "]";
    }
}
