package dev.kbr.validate;

import dev.kbr.model.PromiseApi;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Promise API schemas prepared for validation (structural schema, cleaned validation schema,
 * compiled CEL rules), one per {@link PromiseApi} instance. Preparing compiles every {@code
 * x-kubernetes-validations} rule, so a {@link PromiseValidator} and a {@link RequestValidator}
 * that check the same Promises should share one cache: each rule is then compiled once.
 *
 * <p>Entries are kept for the life of the cache (one pass). Safe to share between threads.
 */
public final class SchemaCache {
    private final Map<PromiseApi, ApiSchema> schemas = new IdentityHashMap<>();

    /** An empty cache. */
    public SchemaCache() {}

    /**
     * The prepared schema of {@code api}, which must have one ({@code api.schema()} present).
     * Never throws for a malformed schema: its problems are in {@link ApiSchema#problems()}.
     */
    synchronized ApiSchema of(PromiseApi api) {
        Objects.requireNonNull(api, "api");
        return schemas.computeIfAbsent(api, a -> ApiSchema.of(a.schema().orElseThrow()));
    }
}
