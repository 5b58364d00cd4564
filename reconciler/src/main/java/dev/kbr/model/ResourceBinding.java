package dev.kbr.model;

import java.util.Objects;

/**
 * Which version of its Promise a resource request is reconciled with: a
 * {@code platform.kratix.io/v1alpha1 ResourceBinding} document
 * ({@code api/v1alpha1/resourcebinding_types.go}), one per request.
 *
 * @param name {@code metadata.name}
 * @param request the request it binds: {@code spec.promiseRef.name} and
 *     {@code spec.resourceRef.{namespace,name}} ({@code metadata.namespace} when the reference
 *     has none, then {@code default})
 * @param version {@code spec.version}: {@value #LATEST} to follow the newest revision, or an
 *     exact version to pin
 * @param location where the binding is defined
 * @param lines lines of its fields in that file
 */
public record ResourceBinding(String name, ObjectKey request, String version, SourceLocation location, LineMap lines) {
    /** {@code spec.version} that follows the latest revision ({@code LatestVersion} in Kratix). */
    public static final String LATEST = "latest";

    public ResourceBinding {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(lines, "lines");
    }

    /** True when the binding follows the latest revision rather than pinning one. */
    public boolean followsLatest() {
        return LATEST.equals(version);
    }

    /** Where a field of the binding is written, or the document's start. */
    public SourceLocation at(String path) {
        int line = lines.lineOf(path);
        return line > 0 ? location.atLine(line) : location;
    }
}
