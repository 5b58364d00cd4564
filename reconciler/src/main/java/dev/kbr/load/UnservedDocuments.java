package dev.kbr.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.GroupVersionKind;
import dev.kbr.model.Promise;
import dev.kbr.model.SourceLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What to say about a document that is neither a Kratix object kbr reads nor a request of a loaded
 * Promise. Most such documents are simply something else (a Namespace, an operator's own custom
 * resource, a request of a Promise kept in another repo) and are ignored without a word. Two are
 * worth a diagnostic, because a request read as "not a request" looks deleted:
 *
 * <ul>
 *   <li>a request of a Promise that failed to load: a warning saying so, since the request itself
 *       may be fine;
 *   <li>a near miss that is really likely a typo: the same group and version as a served kind with
 *       a kind differing only in case or by one edit (insert, delete or substitute a character); the
 *       very same kind under another version of its group, or with an apiVersion one edit away; and
 *       a Kratix kind under another version of {@code platform.kratix.io}, which Kratix serves only
 *       as {@code v1alpha1}.
 * </ul>
 *
 * <p>A kind far from every served one is no typo, even in a group several Promises serve (another
 * Promise of that group, kept elsewhere, probably serves it): only a kind differing in case or by
 * one edit from a kind served in its group and version gets a hint, as a request read as "not a
 * request" would have what it delivered pruned. No hint is given for documents in a pipeline's own
 * folders ({@code templates}, {@code resources}, {@code dependencies}, {@code workflows}, or a
 * folder named {@code *pipeline}), which hold what pipelines write, not platform objects. Kratix
 * itself puts no restriction on a Promise's API group ({@code api/v1alpha1/promise_types.go}), so
 * {@code platform.kratix.io} kinds other than Kratix's own are ordinary requests.
 */
final class UnservedDocuments {
    static final String KRATIX_GROUP = "platform.kratix.io";
    static final String KRATIX_VERSION = "v1alpha1";

    /**
     * Every kind Kratix serves ({@code config/crd/bases} of syntasso/kratix), whether kbr reads it
     * here or elsewhere, so no document of these kinds is told that its kind is unknown.
     */
    static final Set<String> KRATIX_KINDS = Set.of(
            "Promise",
            "PromiseRelease",
            "PromiseRevision",
            "Destination",
            "GitStateStore",
            "BucketStateStore",
            "Work",
            "WorkPlacement",
            "ResourceBinding",
            "HealthRecord",
            "DryRun");

    /** Folder names whose documents are a pipeline's material, not platform objects. */
    private static final Set<String> PIPELINE_FOLDERS = Set.of("templates", "resources", "dependencies", "workflows");

    /**
     * A Promise document that did not become a loaded Promise (its errors were reported, or its
     * name was taken).
     *
     * @param name its {@code metadata.name}, or {@code ""} when it has none
     * @param location where the Promise document starts
     * @param api the group, version and kind its {@code spec.api} declares, if any
     */
    record FailedPromise(String name, SourceLocation location, Optional<GroupVersionKind> api) {
        static FailedPromise of(YamlDocument doc) {
            JsonNode body = doc.body();
            return new FailedPromise(body.path("metadata").path("name").asText(""), doc.location(), declaredApi(body));
        }

        static FailedPromise of(Promise promise) {
            return new FailedPromise(
                    promise.name(), promise.location(), promise.api().map(a -> a.gvk()));
        }
    }

    /** A kind that is served, by a Promise or by Kratix itself. */
    private record Served(GroupVersionKind gvk, String by) {}

    private final List<Served> served = new ArrayList<>();
    private final List<FailedPromise> failed;

    /**
     * @param loaded the Promises that loaded
     * @param failed the Promise documents that did not
     */
    UnservedDocuments(List<Promise> loaded, List<FailedPromise> failed) {
        this.failed = List.copyOf(failed);
        for (Promise promise : loaded) {
            promise.api().ifPresent(api -> served.add(new Served(api.gvk(), "Promise " + promise.name())));
        }
        KRATIX_KINDS.forEach(
                kind -> served.add(new Served(new GroupVersionKind(KRATIX_GROUP, KRATIX_VERSION, kind), "Kratix")));
    }

    /**
     * The diagnostic for a document that no loaded Promise serves, or empty when it is to be
     * ignored in silence.
     */
    Optional<Diagnostic> verdict(YamlDocument doc) {
        GroupVersionKind gvk = GroupVersionKind.of(
                doc.body().path("apiVersion").asText(), doc.body().path("kind").asText());
        List<FailedPromise> owners =
                failed.stream().filter(p -> p.api().equals(Optional.of(gvk))).toList();
        if (!owners.isEmpty()) {
            return Optional.of(Diagnostic.warning(doc.location(), "", failedPromises(owners)));
        }
        if (pipelineMaterial(doc.location().file())) {
            return Optional.empty();
        }
        if (gvk.group().equals(KRATIX_GROUP) && KRATIX_KINDS.contains(gvk.kind())) {
            return Optional.of(Diagnostic.error(
                    doc.at("apiVersion"),
                    "apiVersion",
                    "is " + gvk.apiVersion() + ", but Kratix serves " + gvk.kind() + " only as " + KRATIX_GROUP + "/"
                            + KRATIX_VERSION + " and no Promise serves " + gvk + "; fix the apiVersion"));
        }
        return kindHint(doc, gvk).or(() -> apiVersionHint(doc, gvk));
    }

    private Optional<Diagnostic> kindHint(YamlDocument doc, GroupVersionKind gvk) {
        List<Served> close = served.stream()
                .filter(s ->
                        s.gvk().group().equals(gvk.group()) && s.gvk().version().equals(gvk.version()))
                .filter(s -> oneEditApart(s.gvk().kind(), gvk.kind()))
                .toList();
        if (close.size() != 1) {
            return Optional.empty();
        }
        Served match = close.get(0);
        boolean caseOnly = match.gvk().kind().equalsIgnoreCase(gvk.kind());
        return Optional.of(Diagnostic.error(
                doc.at("kind"),
                "kind",
                "is " + gvk.kind() + ", which nothing serves in " + gvk.apiVersion() + "; did you mean "
                        + match.gvk().kind() + " (served by " + match.by() + ")?"
                        + (caseOnly ? " Kinds are case-sensitive." : "")
                        + " Fix the kind, or if this is no request, move it out of the platform folder"
                        + " or exclude it in " + PlatformLoader.SETTINGS_FILE));
    }

    private Optional<Diagnostic> apiVersionHint(YamlDocument doc, GroupVersionKind gvk) {
        // The very same kind, in its own group under another version or one edit from it.
        List<Served> close = served.stream()
                .filter(s -> s.gvk().kind().equals(gvk.kind()))
                .filter(s -> s.gvk().group().equals(gvk.group())
                        || oneEditApart(s.gvk().apiVersion(), gvk.apiVersion()))
                .toList();
        if (close.size() != 1) {
            return Optional.empty();
        }
        Served match = close.get(0);
        return Optional.of(Diagnostic.error(
                doc.at("apiVersion"),
                "apiVersion",
                "is " + gvk.apiVersion() + ", which serves no " + gvk.kind() + "; did you mean "
                        + match.gvk().apiVersion() + " (" + gvk.kind() + " served by " + match.by()
                        + ")? Fix the apiVersion, or if this is no request, move it out of the platform folder"
                        + " or exclude it in " + PlatformLoader.SETTINGS_FILE));
    }

    private static String failedPromises(List<FailedPromise> owners) {
        List<String> named = owners.stream()
                .map(p -> (p.name().isEmpty() ? "(unnamed)" : p.name()) + " (" + p.location() + ")")
                .toList();
        return "not checked: its Promise " + String.join(" and Promise ", named)
                + (owners.size() == 1
                        ? " failed to load: fix that Promise first"
                        : " failed to load: fix those Promises first");
    }

    /**
     * Whether a file sits in a pipeline's own folder: one named {@code templates}, {@code
     * resources}, {@code dependencies} or {@code workflows}, or ending in {@code pipeline}.
     */
    static boolean pipelineMaterial(String file) {
        String[] segments = file.split("/");
        for (int i = 0; i < segments.length - 1; i++) {
            String folder = segments[i].toLowerCase(Locale.ROOT);
            if (PIPELINE_FOLDERS.contains(folder) || folder.endsWith("pipeline")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether two different names differ only in case, or by inserting, deleting or substituting
     * one character (ignoring case): a Levenshtein distance of 1 with an early exit.
     */
    static boolean oneEditApart(String a, String b) {
        if (a.equals(b)) {
            return false;
        }
        String x = a.toLowerCase(Locale.ROOT);
        String y = b.toLowerCase(Locale.ROOT);
        if (x.equals(y)) {
            return true;
        }
        if (Math.abs(x.length() - y.length()) > 1) {
            return false;
        }
        String longer = x.length() >= y.length() ? x : y;
        String shorter = longer == x ? y : x;
        int i = 0;
        while (i < shorter.length() && longer.charAt(i) == shorter.charAt(i)) {
            i++;
        }
        // Past the first difference, the rest must match after skipping one character of the
        // longer name (insert/delete) or of both (substitute).
        return longer.length() == shorter.length()
                ? longer.substring(i + 1).equals(shorter.substring(i + 1))
                : longer.substring(i + 1).equals(shorter.substring(i));
    }

    /** The group, version and kind a Promise document's API declares, read without mapping it. */
    static Optional<GroupVersionKind> declaredApi(JsonNode promise) {
        JsonNode crd = promise.path("spec").path("api").path("spec");
        JsonNode versions = crd.path("versions");
        if (!versions.isArray() || versions.isEmpty()) {
            return Optional.empty();
        }
        // Kratix uses the storage version, falling back to the first (promise_controller.go).
        JsonNode version = versions.get(0);
        for (JsonNode v : versions) {
            if (v.path("storage").asBoolean(false)) {
                version = v;
                break;
            }
        }
        String group = crd.path("group").asText("");
        String name = version.path("name").asText("");
        String kind = crd.path("names").path("kind").asText("");
        return name.isEmpty() || kind.isEmpty()
                ? Optional.empty()
                : Optional.of(new GroupVersionKind(group, name, kind));
    }
}
