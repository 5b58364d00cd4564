package dev.kbr.platformapi.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.kbr.platformapi.ApiSession;
import dev.kbr.platformapi.ApiView;
import dev.kbr.platformapi.Caller;
import dev.kbr.platformapi.PlatformApi;
import dev.kbr.platformapi.RequestAdmission;
import dev.kbr.platformapi.SecretSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * kbr's platform API: a Kubernetes-compatible HTTPS server on an ephemeral port that serves a
 * pass's {@link ApiView} to its pipelines, as the platform cluster's API server serves Kratix
 * pipelines. Enough of the Kubernetes API for {@code kubectl}, client-go, fabric8 and the Python
 * client:
 *
 * <ul>
 *   <li>discovery ({@code /version}, {@code /api}, {@code /apis}, {@code /api/v1}, {@code
 *       /apis/GROUP/VERSION}), as plain JSON even when aggregated discovery is asked for;
 *   <li>get and list of every kind served, cluster-wide lists, {@code labelSelector} and {@code
 *       fieldSelector} ({@code metadata.name}, {@code metadata.namespace}); Tables are never
 *       served, clients fall back to the objects; {@code watch} is answered 405;
 *   <li>Secrets by name only, from {@link SecretSource} (a list is 403);
 *   <li>the {@code status} subresource of the caller's own object ({@link Caller#self()}): merge
 *       patch, JSON patch (strategic merge patch is applied as a merge patch, as custom resources
 *       have no strategic merge) and update; the result is what later reads return and ends in
 *       {@link dev.kbr.platformapi.ApiWrites#status()};
 *   <li>create, update, patch and delete of resource requests (objects of Promise APIs), checked
 *       by {@link RequestAdmission}; update and delete only of requests created through the API.
 * </ul>
 *
 * <p>Each call carries a session's bearer token (401 otherwise) and is checked against the
 * caller's RBAC rules first (403). Failures are Kubernetes {@code Status} objects. Thread-safe:
 * parallel pipeline runs share one server, each with its own session.
 */
public final class PlatformApiServer implements PlatformApi {
    /** Pipelines make a handful of calls each; a few threads serve a wave of parallel runs. */
    private static final int THREADS = 8;

    /**
     * How long, in seconds, one request may take to arrive or its reply to leave: a pipeline that
     * stalls mid-request must not hold one of the {@value #THREADS} threads for the whole pass.
     * The JDK's server reads these once, when its first server starts; kbr starts no other.
     */
    static final String REQUEST_SECONDS = "60";

    static {
        System.setProperty(
                "sun.net.httpserver.maxReqTime", System.getProperty("sun.net.httpserver.maxReqTime", REQUEST_SECONDS));
        System.setProperty(
                "sun.net.httpserver.maxRspTime", System.getProperty("sun.net.httpserver.maxRspTime", REQUEST_SECONDS));
    }

    private final HttpsServer server;
    private final ExecutorService executor;
    private final ServerSession.Endpoint endpoint;
    private final ConcurrentHashMap<String, ServerSession> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private volatile ServerState state;
    private volatile boolean closed;

    private PlatformApiServer(HttpsServer server, ExecutorService executor, ServerSession.Endpoint endpoint) {
        this.server = server;
        this.executor = executor;
        this.endpoint = endpoint;
    }

    /**
     * Makes a CA and a certificate for this server and starts serving {@code view} on {@code
     * bindHost} at an ephemeral port.
     *
     * @param bindHost the address to listen on and to hand to pipelines, e.g. {@code 127.0.0.1}
     * @throws IOException when it cannot listen there
     */
    public static PlatformApiServer start(
            ApiView view, RequestAdmission admission, SecretSource secrets, String bindHost) throws IOException {
        return start(view, admission, secrets, bindHost, Clock.systemUTC());
    }

    /** As {@link #start(ApiView, RequestAdmission, SecretSource, String)}, stamping with {@code clock}. */
    static PlatformApiServer start(
            ApiView view, RequestAdmission admission, SecretSource secrets, String bindHost, Clock clock)
            throws IOException {
        Objects.requireNonNull(view, "view");
        ServerTls tls = ServerTls.create(bindHost);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(bindHost), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.sslContext()));
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "kbr-platform-api-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        PlatformApiServer api = new PlatformApiServer(
                server,
                executor,
                new ServerSession.Endpoint(bindHost, server.getAddress().getPort(), tls.caCertificatePem()));
        api.publish(view);
        ResourceCalls calls = new ResourceCalls(admission, new SecretReads(secrets), clock);
        server.createContext("/", new ApiHandler(() -> api.state, api::session, calls));
        server.start();
        return api;
    }

    /** The port it listens on. */
    public int port() {
        return endpoint.port();
    }

    /** The PEM of the CA clients must trust. */
    public String caCertificatePem() {
        return endpoint.caCertificatePem();
    }

    @Override
    public void publish(ApiView view) {
        state = new ServerState(new Discovery(view.kinds()), new ObjectStore(view));
    }

    /**
     * Opens a session with a fresh 256-bit token.
     *
     * @throws IllegalStateException when the server is closed
     */
    @Override
    public ApiSession open(Caller caller) {
        if (closed) {
            throw new IllegalStateException("the platform API server is closed; open sessions before closing it");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        // The pipeline's own object as it got it: earlier pipelines of its workflow may have
        // changed its status since the view was published, and its status writes apply to this.
        JsonNode inputStatus = caller.selfObject().get("status");
        state.store().replaceStatus(caller.self(), inputStatus instanceof ObjectNode status ? status : null);
        ServerSession session =
                new ServerSession(token, caller, endpoint, finished -> sessions.remove(finished.token(), finished));
        sessions.put(token, session);
        return session;
    }

    private Optional<ServerSession> session(String token) {
        return Optional.ofNullable(sessions.get(token));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        sessions.clear();
        server.stop(0);
        executor.shutdownNow();
    }
}
