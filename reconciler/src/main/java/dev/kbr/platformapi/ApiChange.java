package dev.kbr.platformapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** A resource request a pipeline created, updated or deleted through the API. */
public sealed interface ApiChange {
    /** Where the request lives. */
    ObjectRef ref();

    /**
     * A request created: validated by {@link RequestAdmission} and stored with the fields the server
     * sets.
     *
     * @param ref where it lives
     * @param object the whole object as stored; do not mutate
     */
    record Created(ObjectRef ref, ObjectNode object) implements ApiChange {
        public Created {
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(object, "object");
        }
    }

    /**
     * A request created through the API and then updated (its {@code spec}, labels or annotations).
     *
     * @param ref where it lives
     * @param object the whole object as stored; do not mutate
     */
    record Updated(ObjectRef ref, ObjectNode object) implements ApiChange {
        public Updated {
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(object, "object");
        }
    }

    /**
     * A request created through the API and now deleted.
     *
     * @param ref where it lived
     */
    record Deleted(ObjectRef ref) implements ApiChange {
        public Deleted {
            Objects.requireNonNull(ref, "ref");
        }
    }
}
