package dev.kbr.model;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Kratix BucketStateStore ({@code api/v1alpha1/bucketstatestore_types.go}): an S3 bucket (AWS
 * S3, MinIO, any S3-compatible server) whose objects under {@link #path()} hold the Destinations'
 * files, as Kratix's bucket writer ({@code lib/writers/s3.go}) keys them.
 *
 * @param name {@code metadata.name}
 * @param bucketName {@code spec.bucketName}
 * @param endpoint {@code spec.endpoint}, {@code spec.insecure} and {@code spec.useDualStack}
 * @param path {@code spec.path}: the key prefix, without leading or trailing {@code /}; empty for
 *     the bucket's root
 * @param auth {@code spec.authMethod} and {@code spec.secretRef}
 * @param location where the state store is defined
 */
public record BucketStateStore(
        String name, String bucketName, Endpoint endpoint, String path, Auth auth, SourceLocation location)
        implements StateStoreDefinition {

    /** The value of {@code spec.authMethod} that reads keys from the Secret (Kratix's default). */
    public static final String ACCESS_KEY = "accessKey";

    /** The value of {@code spec.authMethod} that uses the S3 client's standard credential chain. */
    public static final String IAM = "IAM";

    public BucketStateStore {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bucketName, "bucketName");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(location, "location");
    }

    /**
     * Where the S3 server is.
     *
     * @param host {@code spec.endpoint} as Kratix reads it: {@code host} or {@code host:port},
     *     without a scheme (one given anyway is dropped, and {@code http://} implies {@code
     *     insecure})
     * @param insecure {@code spec.insecure}: plain http instead of https
     * @param useDualStack {@code spec.useDualStack}: AWS's dual-stack (IPv4 and IPv6) endpoints
     */
    public record Endpoint(String host, boolean insecure, boolean useDualStack) {
        public Endpoint {
            Objects.requireNonNull(host, "host");
            if (host.startsWith("http://")) {
                host = host.substring("http://".length());
                insecure = true;
            } else if (host.startsWith("https://")) {
                host = host.substring("https://".length());
            }
            while (host.endsWith("/")) {
                host = host.substring(0, host.length() - 1);
            }
        }

        /** The server's base URI: {@code http://host} when insecure, else {@code https://host}. */
        public URI uri() {
            return URI.create((insecure ? "http://" : "https://") + host);
        }
    }

    /**
     * How kbr signs its requests.
     *
     * @param method {@value BucketStateStore#ACCESS_KEY} (keys {@code accessKeyID} and {@code
     *     secretAccessKey} of {@code secretRef}) or {@value BucketStateStore#IAM}
     * @param secretRef {@code spec.secretRef}, if set
     */
    public record Auth(String method, Optional<SecretRef> secretRef) {
        public Auth {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(secretRef, "secretRef");
        }
    }

    /** {@code BucketStateStore}. */
    @Override
    public String kind() {
        return "BucketStateStore";
    }

    /** {@code http(s)://ENDPOINT/BUCKET[/PATH]}: the path-style URL of the store's prefix. */
    @Override
    public String displayUrl() {
        return endpoint.uri() + "/" + bucketName + (path.isEmpty() ? "" : "/" + path);
    }

    @Override
    public boolean lacksUrl() {
        return endpoint.host().isEmpty() || bucketName.isEmpty();
    }

    /**
     * The store as {@code --state-url NAME=URL} leaves it. For a bucket the URL is either {@code
     * s3://BUCKET[/PREFIX]} (another bucket and prefix on the same server) or {@code
     * http(s)://HOST[:PORT]/BUCKET[/PREFIX]} (a path-style URL: also another server, plain http
     * for {@code http://}). Any other form is refused.
     *
     * @throws IllegalArgumentException naming the option when the URL has neither form
     */
    @Override
    public BucketStateStore withUrlFrom(Map<String, String> overrides) {
        String url = overrides.get(name);
        if (url == null) {
            return this;
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw badOverride(url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        String rest;
        Endpoint newEndpoint;
        switch (scheme) {
            case "s3" -> {
                if (uri.getRawAuthority() == null || uri.getRawAuthority().contains("@") || uri.getQuery() != null) {
                    throw badOverride(url);
                }
                rest = uri.getRawAuthority() + nullToEmpty(uri.getPath());
                newEndpoint = endpoint;
            }
            case "http", "https" -> {
                if (uri.getAuthority() == null || uri.getUserInfo() != null || uri.getQuery() != null) {
                    throw badOverride(url);
                }
                rest = nullToEmpty(uri.getPath());
                newEndpoint = new Endpoint(uri.getAuthority(), scheme.equals("http"), endpoint.useDualStack());
            }
            default -> throw badOverride(url);
        }
        String clean = rest.replaceAll("^/+", "").replaceAll("/+$", "");
        int slash = clean.indexOf('/');
        String bucket = slash < 0 ? clean : clean.substring(0, slash);
        String prefix = slash < 0 ? "" : clean.substring(slash + 1);
        if (!BUCKET_NAME.matcher(bucket).matches() || prefix.contains("//") || prefix.matches("(.*/)?\\.\\.?(/.*)?")) {
            throw badOverride(url);
        }
        return new BucketStateStore(name, bucket, newEndpoint, prefix, auth, location);
    }

    // S3's rule for bucket names, which MinIO follows too.
    private static final java.util.regex.Pattern BUCKET_NAME =
            java.util.regex.Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private IllegalArgumentException badOverride(String url) {
        // Credentials never go in the URL: they come from the store's Secret.
        return new IllegalArgumentException("--state-url " + name + "=" + GitStateStore.displayUrl(url) + ": " + name
                + " is a BucketStateStore; give s3://BUCKET[/PREFIX] or http(s)://HOST[:PORT]/BUCKET[/PREFIX] (a bucket"
                + " name of 3 to 63 lowercase letters, digits, dots and hyphens; no credentials, which come from"
                + " spec.secretRef)");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
