package dev.kbr.state;

import java.util.Objects;
import java.util.Optional;

/**
 * Which state store, and where it lives, as reports and messages name it.
 *
 * @param name the state store's {@code metadata.name}
 * @param kind the Kratix kind of its document: {@code GitStateStore} or {@code BucketStateStore}
 * @param url where it is, with any password masked
 * @param branch the branch written inside {@code url}, for stores that have branches (a
 *     GitStateStore's {@code spec.branch}); empty for stores without. Reports and messages use
 *     Git's words (branch, commit, push) exactly when it is present, and "version" otherwise
 */
public record StoreLocation(String name, String kind, String url, Optional<String> branch) {
    public StoreLocation {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(branch, "branch");
    }

    /** {@code URL, branch B} or {@code URL}: how messages say where the store is. */
    public String describe() {
        return url + branch.map(b -> ", branch " + b).orElse("");
    }

    /**
     * The shortest qualifier messages put after a store's name: {@code branch B} for a store with
     * branches (its URL is in the report's header), else the URL.
     */
    public String qualifier() {
        return branch.map(b -> "branch " + b).orElse(url);
    }
}
