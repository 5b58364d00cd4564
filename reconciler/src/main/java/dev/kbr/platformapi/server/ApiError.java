package dev.kbr.platformapi.server;

/**
 * A call the server answers with a Kubernetes {@code Status} of {@code status: Failure}. Its
 * message is sent to the pipeline, so it never carries a token or a Secret value.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String reason;
    private final transient Target target;

    /**
     * What a failure is about, for the {@code details} of its Status.
     *
     * @param group API group, {@code ""} for core
     * @param kind the resource (plural), as the Kubernetes API server puts it in {@code details.kind}
     * @param name the object's name, {@code ""} for a collection
     */
    record Target(String group, String kind, String name) {
        static final Target NONE = new Target("", "", "");
    }

    private ApiError(int code, String reason, String message, Target target) {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
        this.target = target;
    }

    int code() {
        return code;
    }

    String reason() {
        return reason;
    }

    Target target() {
        return target;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "BadRequest", message, Target.NONE);
    }

    static ApiError unauthorized() {
        return new ApiError(401, "Unauthorized", "Unauthorized", Target.NONE);
    }

    static ApiError forbidden(String message, Target target) {
        return new ApiError(403, "Forbidden", message, target);
    }

    static ApiError notFound(String message, Target target) {
        return new ApiError(404, "NotFound", message, target);
    }

    static ApiError methodNotAllowed(String message) {
        return new ApiError(405, "MethodNotAllowed", message, Target.NONE);
    }

    static ApiError alreadyExists(String message, Target target) {
        return new ApiError(409, "AlreadyExists", message, target);
    }

    static ApiError conflict(String message, Target target) {
        return new ApiError(409, "Conflict", message, target);
    }

    static ApiError tooLarge(String message) {
        return new ApiError(413, "RequestEntityTooLarge", message, Target.NONE);
    }

    static ApiError unsupportedMediaType(String message) {
        return new ApiError(415, "UnsupportedMediaType", message, Target.NONE);
    }

    static ApiError invalid(String message, Target target) {
        return new ApiError(422, "Invalid", message, target);
    }

    static ApiError internal(String message) {
        return new ApiError(500, "InternalError", message, Target.NONE);
    }
}
