package dev.kbr.state.git;

import dev.kbr.model.GitStateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;

/**
 * How to reach and write one Git state store. Build with {@link #of} or {@link #from} and adjust
 * with the {@code with…} methods; the constructor reports every invalid field at once.
 *
 * @param name the GitStateStore's {@code metadata.name}; named in every message
 * @param url where the repo is: a local path (bare or not), {@code file://}, {@code git://},
 *     {@code http(s)://} or {@code ssh://}. A password in the URL is never printed
 * @param branch the branch to read and write ({@code spec.branch}), without {@code refs/heads/}
 * @param authorName author and committer name ({@code spec.gitAuthor.name}, Kratix default
 *     {@code kratix})
 * @param authorEmail author and committer email ({@code spec.gitAuthor.email}, Kratix default
 *     empty)
 * @param scratchDirectory where the private bare repository lives; empty for a new temporary
 *     directory that {@link GitRepoStateStore#close()} deletes. A given directory is kept and
 *     reused as a cache on the next open (a repeated read then fetches only what is new); it is
 *     locked while a store uses it, and a repository in it that was made for another URL or is
 *     broken is started over. One directory per store
 * @param timeout how long one network read or write may stall before it fails (whole seconds,
 *     at least one)
 * @param credentials how to authenticate to the remote ({@code spec.authMethod} with the values of
 *     {@code spec.secretRef}); empty for none. Reading the Secret is the caller's job
 * @param trustedCaFile a PEM file of CA certificates trusted for {@code https} remotes in addition
 *     to the JDK's ({@code --ca-file} / {@code GIT_SSL_CAINFO}); empty for the JDK's alone
 */
public record GitStoreSettings(
        String name,
        String url,
        String branch,
        String authorName,
        String authorEmail,
        Optional<Path> scratchDirectory,
        Duration timeout,
        Optional<GitCredentials> credentials,
        Optional<Path> trustedCaFile) {

    /** Kratix's default {@code spec.gitAuthor.name}. */
    public static final String DEFAULT_AUTHOR_NAME = "kratix";

    /** Kratix's default {@code spec.gitAuthor.email}: none. */
    public static final String DEFAULT_AUTHOR_EMAIL = "";

    /** Kratix's default {@code spec.branch}. */
    public static final String DEFAULT_BRANCH = "main";

    /** Default network stall limit. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /**
     * @throws IllegalArgumentException listing every invalid field
     */
    public GitStoreSettings {
        List<String> problems = new ArrayList<>();
        if (name == null || name.isBlank()) {
            problems.add("name must not be blank");
        }
        if (url == null || url.isBlank()) {
            problems.add("url must not be blank");
        }
        if (branch == null || !Repository.isValidRefName(Constants.R_HEADS + branch)) {
            problems.add("branch `" + branch + "` is not a valid Git branch name");
        }
        if (authorName == null) {
            problems.add("authorName must not be null (Kratix's default is `kratix`)");
        }
        if (authorEmail == null) {
            problems.add("authorEmail must not be null (Kratix's default is empty)");
        }
        if (scratchDirectory == null) {
            problems.add("scratchDirectory must not be null (use Optional.empty())");
        }
        if (timeout == null || timeout.toSeconds() < 1 || timeout.toSeconds() > Integer.MAX_VALUE) {
            problems.add("timeout must be between 1 second and " + Integer.MAX_VALUE + " seconds, was " + timeout);
        }
        if (credentials == null) {
            problems.add("credentials must not be null (use Optional.empty())");
        }
        if (trustedCaFile == null) {
            problems.add("trustedCaFile must not be null (use Optional.empty())");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "Invalid settings for Git state store `" + name + "`: " + String.join("; ", problems));
        }
    }

    /** A store with Kratix's default author, a temporary scratch directory and no credentials. */
    public static GitStoreSettings of(String name, String url, String branch) {
        return new GitStoreSettings(
                name,
                url,
                branch,
                DEFAULT_AUTHOR_NAME,
                DEFAULT_AUTHOR_EMAIL,
                Optional.empty(),
                DEFAULT_TIMEOUT,
                Optional.empty(),
                Optional.empty());
    }

    /**
     * Settings for a GitStateStore of the platform repo: its name, URL, branch and author. Its
     * {@code spec.path} is not used here: callers give repo-relative paths. Its {@code secretRef}
     * is not read here either.
     */
    public static GitStoreSettings from(GitStateStore store) {
        return of(store.name(), store.url(), store.branch()).withAuthor(store.authorName(), store.authorEmail());
    }

    /** The same settings with another commit author and committer. */
    public GitStoreSettings withAuthor(String newAuthorName, String newAuthorEmail) {
        return new GitStoreSettings(
                name,
                url,
                branch,
                newAuthorName,
                newAuthorEmail,
                scratchDirectory,
                timeout,
                credentials,
                trustedCaFile);
    }

    /** The same settings with a scratch directory that outlives the store. */
    public GitStoreSettings withScratchDirectory(Path directory) {
        return new GitStoreSettings(
                name,
                url,
                branch,
                authorName,
                authorEmail,
                Optional.of(directory),
                timeout,
                credentials,
                trustedCaFile);
    }

    /** The same settings with another network stall limit. */
    public GitStoreSettings withTimeout(Duration newTimeout) {
        return new GitStoreSettings(
                name, url, branch, authorName, authorEmail, scratchDirectory, newTimeout, credentials, trustedCaFile);
    }

    /** The same settings with credentials for the remote. */
    public GitStoreSettings withCredentials(GitCredentials newCredentials) {
        return new GitStoreSettings(
                name,
                url,
                branch,
                authorName,
                authorEmail,
                scratchDirectory,
                timeout,
                Optional.of(newCredentials),
                trustedCaFile);
    }

    /** The same settings with a CA file trusted for {@code https} remotes besides the JDK's CAs. */
    public GitStoreSettings withTrustedCaFile(Path caFile) {
        return new GitStoreSettings(
                name,
                url,
                branch,
                authorName,
                authorEmail,
                scratchDirectory,
                timeout,
                credentials,
                Optional.of(caFile));
    }

    /** The URL with any password replaced by {@code ***}, for messages. */
    String displayUrl() {
        return GitStateStore.displayUrl(url);
    }

    /** Like the record's, but never prints a password in the URL. */
    @Override
    public String toString() {
        return "GitStoreSettings[name=" + name + ", url=" + displayUrl() + ", branch=" + branch + ", author="
                + authorName + " <" + authorEmail + ">, scratchDirectory=" + scratchDirectory + ", timeout="
                + timeout + ", credentials="
                + credentials
                        .map(c -> c.getClass().getSimpleName() + " from " + c.source())
                        .orElse("(none)")
                + ", trustedCaFile=" + trustedCaFile + "]";
    }
}
