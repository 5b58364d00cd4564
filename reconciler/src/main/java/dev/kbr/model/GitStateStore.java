package dev.kbr.model;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

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
        SourceLocation location)
        implements StateStoreDefinition {
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

    /** {@code GitStateStore}. */
    @Override
    public String kind() {
        return "GitStateStore";
    }

    @Override
    public boolean lacksUrl() {
        return url.isEmpty();
    }

    private static final Pattern URL_PASSWORD = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://[^/@:]*):[^/@]*@");

    /** {@link #url()} with any password in it replaced by {@code ***}, for messages and reports. */
    @Override
    public String displayUrl() {
        return displayUrl(url);
    }

    /**
     * A Git URL with any password in its user part ({@code https://user:secret@host/...})
     * replaced by {@code ***}; other URLs are returned unchanged.
     */
    public static String displayUrl(String url) {
        return URL_PASSWORD.matcher(url).replaceFirst("$1:***@");
    }

    /** The same store with another URL (the {@code --state-url NAME=URL} override). */
    public GitStateStore withUrl(String newUrl) {
        return new GitStateStore(name, newUrl, path, branch, secretRef, authMethod, authorName, authorEmail, location);
    }

    /**
     * The store as {@code --state-url} options leave it: with the URL {@code overrides} maps its
     * name to, else unchanged.
     *
     * @param overrides store name to URL
     */
    @Override
    public GitStateStore withUrlFrom(java.util.Map<String, String> overrides) {
        String override = overrides.get(name);
        return override == null ? this : withUrl(override);
    }
}
