package dev.kbr.cli;

import dev.kbr.execute.Secrets;
import dev.kbr.load.PlatformFiles;
import dev.kbr.load.PlatformSource;
import dev.kbr.model.GitStateStore;
import dev.kbr.model.PlatformOrigin;
import dev.kbr.state.git.GitCredentials;
import dev.kbr.state.git.GitPlatformRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * Where the platform repo is: {@code --platform} (a folder, or a Git URL), {@code --platform-ref}
 * and {@code --platform-secret}. Shared by every command that reads the platform.
 */
final class PlatformOptions {
    /** URLs kbr reads a platform repo from, besides folders. */
    private static final Pattern URL = Pattern.compile("(?i)(https?|ssh|git|file)://.+");

    private static final Pattern OTHER_SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.*");

    /** {@code user@host:path}, as git and ssh write it. */
    private static final Pattern SCP_LIKE = Pattern.compile("[^/@:\\s]+@[^/:\\s]+:.+");

    @Option(
            names = "--platform",
            required = true,
            paramLabel = "DIR|URL",
            description = {
                "Platform repo: Promises, resource requests, Destinations and state stores. A folder, or a",
                "Git URL (https://, ssh://, git@host:path, git://, file://) read at --platform-ref",
                "without a checkout."
            })
    String location;

    @Option(
            names = "--platform-ref",
            paramLabel = "REF",
            description = {
                "Branch, tag or commit (full or abbreviated id) of a Git --platform to read",
                "(default: the remote's HEAD)."
            })
    String ref;

    @Option(
            names = "--platform-secret",
            paramLabel = "NAMESPACE/NAME",
            description = {
                "Secret with the credentials of a Git --platform, read like a GitStateStore's secretRef",
                "(--secrets-dir DIR/<namespace>/<name>/<key> or KBR_SECRET_*): keys username and password",
                "for https (or a GitHub App's appID, installationID and privateKey, whose token comes from",
                "--github-api-url), sshPrivateKey and knownHosts for ssh."
            })
    String secret;

    /**
     * Opens the platform: checks a folder, or fetches the Git commit (before anything else runs,
     * so a wrong URL, ref or Secret is the first and only error).
     *
     * @param secrets where {@code --platform-secret} is read from
     * @param caFile CAs trusted for https besides the JDK's
     * @param cacheDir {@code --cache-dir}: the fetched repository is kept below it between runs
     * @throws IOException with a one-line message naming the option to fix
     */
    PlatformSource open(Secrets secrets, Optional<Path> caFile, Optional<Path> cacheDir) throws IOException {
        return open(secrets, caFile, cacheDir, GitCredentials.GitHubApp.GITHUB_API_URL);
    }

    /**
     * {@link #open(Secrets, Optional, Optional)}, asking {@code githubApiUrl} for the token of a
     * GitHub App named by {@code --platform-secret}.
     */
    PlatformSource open(Secrets secrets, Optional<Path> caFile, Optional<Path> cacheDir, java.net.URI githubApiUrl)
            throws IOException {
        if (!isGitUrl()) {
            return folder();
        }
        GitPlatformRepo.Settings settings = GitPlatformRepo.Settings.of(location);
        if (ref != null) {
            if (ref.isBlank()) {
                throw new IOException("--platform-ref is empty; give a branch, tag or commit, or leave it out to"
                        + " read the remote's HEAD");
            }
            settings = settings.withRef(ref);
        }
        if (secret != null) {
            boolean ssh = isSsh();
            if (!ssh
                    && !location.toLowerCase(Locale.ROOT).startsWith("https://")
                    && !location.toLowerCase(Locale.ROOT).startsWith("http://")) {
                throw new IOException("--platform-secret is only used for https and ssh URLs, and --platform "
                        + GitStateStore.displayUrl(location) + " is neither; drop --platform-secret");
            }
            settings = settings.withCredentials(StateStoreCredentials.platform(secret, ssh, secrets, githubApiUrl));
        }
        if (caFile.isPresent()) {
            settings = settings.withTrustedCaFile(caFile.get());
        }
        if (cacheDir.isPresent()) {
            settings = settings.withCacheDirectory(cacheDir.get()
                    .resolve("platform")
                    .resolve(Adapters.sha256(location).substring(0, 16)));
        }
        GitPlatformRepo repo = GitPlatformRepo.fetch(settings);
        return new PlatformSource(
                PlatformOrigin.git(location, repo.ref(), repo.commit()),
                PlatformFiles.of(repo.files(), repo::read, repo));
    }

    private PlatformSource folder() throws IOException {
        if (OTHER_SCHEME.matcher(location).matches()) {
            throw new IOException("--platform " + GitStateStore.displayUrl(location)
                    + " is a URL kbr cannot read; give a folder, or an https://, ssh://, git://, file:// or"
                    + " user@host:path Git URL");
        }
        Path folder = Path.of(location);
        if (!Files.isDirectory(folder)) {
            throw new IOException("platform folder " + location + " does not exist or is not a directory; pass the"
                    + " folder holding your Promises (or a Git URL) with --platform");
        }
        if (ref != null || secret != null) {
            throw new IOException((ref != null ? "--platform-ref" : "--platform-secret")
                    + " applies only to a Git URL, and --platform " + location + " is a folder; drop it, or pass"
                    + " the repository's URL (e.g. file://"
                    + folder.toAbsolutePath().normalize() + ")");
        }
        if (Files.isRegularFile(folder.resolve("HEAD")) && Files.isDirectory(folder.resolve("objects"))) {
            throw new IOException("--platform " + location + " is a bare Git repository, not a platform folder;"
                    + " pass it as a URL to read a commit of it: file://"
                    + folder.toAbsolutePath().normalize());
        }
        return PlatformSource.folder(folder);
    }

    // An existing folder is a folder, whatever its name looks like.
    private boolean isGitUrl() {
        if (Files.isDirectory(Path.of(location))) {
            return false;
        }
        return URL.matcher(location).matches() || SCP_LIKE.matcher(location).matches();
    }

    private boolean isSsh() {
        return location.toLowerCase(Locale.ROOT).startsWith("ssh://")
                || (!location.contains("://") && SCP_LIKE.matcher(location).matches());
    }
}
