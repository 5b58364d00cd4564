package dev.kbr.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A Kratix GitStateStore ({@code api/v1alpha1/gitstatestore_types.go}).
 *
 * @param name {@code metadata.name}
 * @param url {@code spec.url} (possibly replaced on the command line)
 * @param path {@code spec.path} prefix inside the repo, without leading or trailing {@code /};
 *     empty for the repo root
 * @param branch {@code spec.branch}, default {@code main}
 * @param secretRef credentials, if any
 * @param authMethod {@code basicAuth} (default), {@code ssh} or {@code githubApp}
 * @param authorName commit author name, default {@code kratix}
 * @param authorEmail commit author email, default empty
 * @param location where the state store is defined
 */
public record GitStateStore(
        String name,
        String url,
        String path,
        String branch,
        Optional<SecretRef> secretRef,
        String authMethod,
        String authorName,
        String authorEmail,
        SourceLocation location) {
    public GitStateStore {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(secretRef, "secretRef");
        Objects.requireNonNull(authMethod, "authMethod");
        Objects.requireNonNull(authorName, "authorName");
        Objects.requireNonNull(authorEmail, "authorEmail");
        Objects.requireNonNull(location, "location");
    }

    /** The same store with another URL (the {@code --state-url NAME=URL} override). */
    public GitStateStore withUrl(String newUrl) {
        return new GitStateStore(name, newUrl, path, branch, secretRef, authMethod, authorName, authorEmail, location);
    }
}
