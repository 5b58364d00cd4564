package dev.kbr.platformapi;

/**
 * One pipeline run's access to the API: a bearer token valid until {@link #finish()}, and what an
 * in-cluster client needs to find and trust the server. Used by one pipeline run at a time.
 */
public interface ApiSession {
    /** The host to put in {@code KUBERNETES_SERVICE_HOST}, e.g. {@code 127.0.0.1}. */
    String host();

    /** The port to put in {@code KUBERNETES_SERVICE_PORT}. */
    int port();

    /** The bearer token, mounted as the service account's {@code token}; never log it. */
    String token();

    /** The PEM of the CA that signed the server's certificate, mounted as {@code ca.crt}. */
    String caCertificatePem();

    /** The namespace mounted as the service account's {@code namespace}. */
    String namespace();

    /**
     * Ends the session: the token stops working (later calls get 401), and what the run wrote is
     * returned. Idempotent: a second call returns the same value.
     */
    ApiWrites finish();
}
