package dev.kbr.engine;

import dev.kbr.load.PlatformLoader;
import dev.kbr.load.PlatformSource;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.Platform;
import dev.kbr.model.Promise;
import dev.kbr.model.ResourceRequest;
import dev.kbr.validate.PromiseValidator;
import dev.kbr.validate.RequestValidator;
import dev.kbr.validate.SchemaCache;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a platform folder without running anything ({@code kbr validate}): loads it, validates
 * every Promise and every resource request against its Promise's API, and returns what was found.
 * No container runs and no state store is opened, so it needs neither Docker nor credentials.
 *
 * <p>The requests of a Promise that has errors are not validated, and each says so in a warning
 * naming the Promise: the Promise's errors say what to fix first, and a request is only as valid
 * as the API it is checked against. (Requests of a Promise that did not even map get the same
 * warning from {@link PlatformLoader}.) What needs the
 * state stores or the pass (state-store references, {@code requiredPromises} availability,
 * compound Promises' sub-requests) is left to {@code plan} and {@code apply}.
 */
public final class PlatformCheck {
    private PlatformCheck() {}

    /**
     * What the check found.
     *
     * @param diagnostics every problem, sorted with {@link Diagnostic#ORDER}, without duplicates
     * @param files how many files were read
     */
    public record Result(List<Diagnostic> diagnostics, int files) {
        public Result {
            diagnostics =
                    diagnostics.stream().distinct().sorted(Diagnostic.ORDER).toList();
        }

        /** How many diagnostics are errors. */
        public long errors() {
            return diagnostics.stream().filter(Diagnostic::isError).count();
        }

        /** How many diagnostics are warnings. */
        public long warnings() {
            return diagnostics.size() - errors();
        }

        /** True when anything is an error: the platform would not run cleanly. */
        public boolean hasErrors() {
            return errors() > 0;
        }
    }

    /**
     * Checks the platform under {@code root}.
     *
     * @throws IOException when {@code root} is not a readable directory; problems inside its files
     *     are diagnostics
     */
    public static Result run(Path root) throws IOException {
        Objects.requireNonNull(root, "root");
        return run(PlatformSource.folder(root));
    }

    /**
     * Checks a platform folder or a Git commit's tree.
     *
     * @throws IOException when its files cannot be listed or read; problems inside them are
     *     diagnostics
     */
    public static Result run(PlatformSource source) throws IOException {
        Objects.requireNonNull(source, "source");
        PlatformLoader.Result loaded = source.load();
        Platform platform = loaded.platform();
        List<Diagnostic> diagnostics = new ArrayList<>(loaded.diagnostics());
        SchemaCache schemas = new SchemaCache();
        RequestValidator requestValidator = new RequestValidator(schemas);
        PromiseValidator.Checked promises = new PromiseValidator(schemas).validateAll(platform.promises());
        diagnostics.addAll(promises.diagnostics());
        Set<String> invalidPromises = promises.invalid();
        for (ResourceRequest request : platform.requests()) {
            Promise promise = platform.promise(request.promiseName()).orElseThrow();
            if (invalidPromises.contains(request.promiseName())) {
                diagnostics.add(Diagnostic.warning(
                        request.location(),
                        "",
                        "not checked: its Promise " + promise.name() + " (" + promise.location()
                                + ") failed to load: fix that Promise first"));
                continue;
            }
            diagnostics.addAll(RevisionCheck.withBinding(
                            platform,
                            request,
                            requestValidator.validate(request, promise.api().orElseThrow()))
                    .diagnostics());
        }
        return new Result(diagnostics, loaded.files().size());
    }
}
