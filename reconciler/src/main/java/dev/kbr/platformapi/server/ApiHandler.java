package dev.kbr.platformapi.server;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Every HTTP call: authenticates the bearer token, routes discovery, checks the caller's RBAC
 * rules before anything else is done, then hands the call to {@link ResourceCalls}. Every failure
 * is answered with a Kubernetes {@code Status}; calls refused as forbidden or not served (403, 405,
 * 415) also leave one line in the session's {@code refused}. Nothing is logged: a message could
 * only repeat what the Status says, and the Status never holds a token or a Secret value.
 */
final class ApiHandler implements HttpHandler {
    /** The most a body may hold: far above any resource request, far below harm. */
    static final int MAX_BODY_BYTES = 3 * 1024 * 1024;

    /** How much of a too-large body is read and dropped before answering 413. */
    private static final long DRAIN_BYTES = 8L * MAX_BODY_BYTES;

    private static final Set<Integer> REFUSALS = Set.of(403, 405, 415);

    private final ObjectMapper json = new ObjectMapper();
    private final Supplier<ServerState> state;
    private final Function<String, Optional<ServerSession>> sessions;
    private final ResourceCalls calls;

    /**
     * @param state what is served now
     * @param sessions the open session holding a token
     * @param calls the calls on objects
     */
    ApiHandler(Supplier<ServerState> state, Function<String, Optional<ServerSession>> sessions, ResourceCalls calls) {
        this.state = state;
        this.sessions = sessions;
        this.calls = calls;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            ResourceCalls.Reply reply;
            ServerSession session = null;
            try {
                session = authenticate(exchange);
                reply = route(exchange, session);
            } catch (ApiError e) {
                if (session != null && REFUSALS.contains(e.code())) {
                    session.refused(e.code() + " " + e.getMessage());
                }
                reply = new ResourceCalls.Reply(e.code(), status(e));
            } catch (RuntimeException e) {
                // The exception's message may quote an object; the class is enough to find it.
                reply = new ResourceCalls.Reply(
                        500,
                        status(ApiError.internal(
                                "kbr failed on this call (" + e.getClass().getName() + ")")));
            }
            byte[] body = json.writeValueAsBytes(reply.body());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.code(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } finally {
            exchange.close();
        }
    }

    private ServerSession authenticate(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiError.unauthorized();
        }
        return sessions.apply(header.substring(7).trim()).orElseThrow(ApiError::unauthorized);
    }

    private ResourceCalls.Reply route(HttpExchange exchange, ServerSession session) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        List<String> segments = Arrays.stream(exchange.getRequestURI().getPath().split("/"))
                .filter(segment -> !segment.isEmpty())
                .toList();
        ServerState served = state.get();
        Optional<JsonNode> discovery = discovery(segments, served.discovery());
        if (discovery.isPresent()) {
            if (!method.equals("GET")) {
                throw ApiError.methodNotAllowed(method + " of a discovery document is not served");
            }
            return new ResourceCalls.Reply(200, discovery.get());
        }
        Optional<ResourcePath> path = resourcePath(segments);
        if (path.isEmpty()) {
            throw ApiError.notFound(
                    "the server could not find the requested resource ("
                            + exchange.getRequestURI().getPath() + ")",
                    ApiError.Target.NONE);
        }
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String verb = verb(method, path.get(), query);
        authorize(session, verb, path.get());
        JsonNode body = Set.of("POST", "PUT", "PATCH").contains(method) ? body(exchange) : null;
        String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type"))
                .orElse("");
        return calls.serve(verb, path.get(), new ResourceCalls.Request(query, contentType, body), session, served);
    }

    private static Optional<JsonNode> discovery(List<String> segments, Discovery discovery) {
        if (segments.equals(List.of("version"))) {
            return Optional.of(Discovery.version());
        }
        if (segments.equals(List.of("api"))) {
            return Optional.of(Discovery.apiVersions());
        }
        if (segments.equals(List.of("apis"))) {
            return Optional.of(discovery.groupList());
        }
        if (segments.size() == 2 && segments.get(0).equals("api")) {
            return Optional.of(discovery.resources("", segments.get(1)).orElseThrow(() -> notFound(segments)));
        }
        if (segments.size() == 2 && segments.get(0).equals("apis")) {
            return Optional.of(discovery.group(segments.get(1)).orElseThrow(() -> notFound(segments)));
        }
        if (segments.size() == 3 && segments.get(0).equals("apis")) {
            return Optional.of(
                    discovery.resources(segments.get(1), segments.get(2)).orElseThrow(() -> notFound(segments)));
        }
        return Optional.empty();
    }

    private static ApiError notFound(List<String> segments) {
        return ApiError.notFound(
                "the server could not find the requested resource (/" + String.join("/", segments) + ")",
                ApiError.Target.NONE);
    }

    private static Optional<ResourcePath> resourcePath(List<String> segments) {
        if (segments.size() > 2 && segments.get(0).equals("api")) {
            return ResourcePath.parse("", segments.get(1), segments.subList(2, segments.size()));
        }
        if (segments.size() > 3 && segments.get(0).equals("apis")) {
            return ResourcePath.parse(segments.get(1), segments.get(2), segments.subList(3, segments.size()));
        }
        return Optional.empty();
    }

    /** The RBAC verb of a call, as the Kubernetes API server derives it from method and path. */
    private static String verb(String method, ResourcePath path, Map<String, String> query) {
        boolean collection = path.name().isEmpty();
        switch (method) {
            case "GET":
                String watch = query.getOrDefault("watch", "false");
                if (watch.equals("true") || watch.equals("1")) {
                    return "watch";
                }
                return collection ? "list" : "get";
            case "POST":
                return "create";
            case "PUT":
                return "update";
            case "PATCH":
                return "patch";
            case "DELETE":
                return collection ? "deletecollection" : "delete";
            default:
                throw ApiError.methodNotAllowed(method + " is not served");
        }
    }

    private static void authorize(ServerSession session, String verb, ResourcePath path) {
        if (!AccessRules.allows(
                session.caller().rules(), verb, path.group(), path.rbacResource(), path.namespace(), path.name())) {
            throw ApiError.forbidden(
                    verb + " " + path.describe() + (path.name().isEmpty() ? "" : " \"" + path.name() + "\"")
                            + ResourceCalls.where(path) + " is forbidden for pipeline "
                            + session.caller().description(),
                    path.target());
        }
    }

    private JsonNode body(HttpExchange exchange) throws IOException {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                // Read on (within a bound) so that the client, still sending, gets the 413 rather than
                // a connection reset.
                in.transferTo(new BoundedSink(DRAIN_BYTES));
                throw ApiError.tooLarge("the request body is larger than " + MAX_BODY_BYTES + " bytes");
            }
        }
        try {
            JsonNode body = json.readTree(bytes);
            if (body == null || body.isMissingNode()) {
                throw ApiError.badRequest("the request has no body");
            }
            return body;
        } catch (JsonProcessingException e) {
            // Only where: the parser's message quotes the body, which may hold a value worth keeping.
            JsonLocation at = e.getLocation();
            throw ApiError.badRequest("the body is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
    }

    /** Discards what it is given, up to a bound; then fails, which ends the connection. */
    private static final class BoundedSink extends OutputStream {
        private long room;

        BoundedSink(long room) {
            this.room = room;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            room -= len;
            if (room < 0) {
                throw new IOException("request body too large to drain");
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            query.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return query;
    }

    /** A Kubernetes {@code metav1.Status} of {@code status: Failure}. */
    private ObjectNode status(ApiError error) {
        ObjectNode status = json.createObjectNode();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure");
        status.put("message", error.getMessage());
        status.put("reason", error.reason());
        ApiError.Target target = error.target();
        if (!target.equals(ApiError.Target.NONE)) {
            ObjectNode details = status.putObject("details");
            if (!target.name().isEmpty()) {
                details.put("name", target.name());
            }
            details.put("group", target.group());
            details.put("kind", target.kind());
        }
        status.put("code", error.code());
        return status;
    }
}
