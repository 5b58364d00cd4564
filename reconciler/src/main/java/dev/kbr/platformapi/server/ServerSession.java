package dev.kbr.platformapi.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.platformapi.ApiChange;
import dev.kbr.platformapi.ApiSession;
import dev.kbr.platformapi.ApiWrites;
import dev.kbr.platformapi.Caller;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One run's session: its token, its caller and what its calls wrote. Calls of one run may come
 * on several connections at once (client libraries pool them), so the record is synchronized.
 */
final class ServerSession implements ApiSession {
    private final String token;
    private final Caller caller;
    private final Endpoint endpoint;
    private final Consumer<ServerSession> onFinish;
    private final List<ApiChange> changes = new ArrayList<>();
    private final List<String> refused = new ArrayList<>();
    private Optional<ObjectNode> status = Optional.empty();
    private ApiWrites finished;

    /**
     * Where clients reach the server and what they trust.
     *
     * @param host the host for {@code KUBERNETES_SERVICE_HOST}
     * @param port the port
     * @param caCertificatePem the CA, PEM
     */
    record Endpoint(String host, int port, String caCertificatePem) {}

    ServerSession(String token, Caller caller, Endpoint endpoint, Consumer<ServerSession> onFinish) {
        this.token = token;
        this.caller = caller;
        this.endpoint = endpoint;
        this.onFinish = onFinish;
    }

    Caller caller() {
        return caller;
    }

    synchronized void changed(ApiChange change) {
        changes.add(change);
    }

    synchronized void refused(String line) {
        refused.add(line);
    }

    /** Records the reconciled object's status after a write to it. */
    synchronized void wroteStatus(ObjectNode newStatus) {
        status = Optional.of(newStatus.deepCopy());
    }

    @Override
    public String host() {
        return endpoint.host();
    }

    @Override
    public int port() {
        return endpoint.port();
    }

    @Override
    public String token() {
        return token;
    }

    @Override
    public String caCertificatePem() {
        return endpoint.caCertificatePem();
    }

    @Override
    public String namespace() {
        return caller.namespace();
    }

    @Override
    public ApiWrites finish() {
        synchronized (this) {
            if (finished != null) {
                return finished;
            }
        }
        // The token stops working before the writes are read: the pass finishes a session once its run
        // has ended, so nothing can call with it afterwards and the writes read are the last.
        onFinish.accept(this);
        synchronized (this) {
            if (finished == null) {
                finished = new ApiWrites(status, changes, refused);
            }
            return finished;
        }
    }

    /** Never the token: sessions end up in debuggers and exception messages. */
    @Override
    public String toString() {
        return "ApiSession[" + caller.description() + "]";
    }
}
