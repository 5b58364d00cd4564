package dev.kbr.state.bucket;

import dev.kbr.model.BucketStateStore;
import dev.kbr.state.StaleStateException;
import dev.kbr.state.TrustedCas;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.net.ssl.TrustManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 requests a bucket state store makes, on one bucket, with every SDK failure turned into an
 * {@link IOException} whose message names the store, what was attempted, and what to check (the
 * Secret, {@code spec.endpoint}, {@code spec.bucketName}); never a secret. Thread-safe.
 *
 * <p>Client settings that matter for S3-compatible servers: path-style addresses except on AWS
 * (MinIO and S3Proxy need them), checksums only where S3 requires them and no {@code aws-chunked}
 * uploads (servers other than AWS store or refuse them), the JDK's HTTP client.
 */
final class S3Access implements AutoCloseable {
    private static final int DELETE_BATCH = 1000;

    private final BucketSettings settings;
    private final BucketStateStore store;
    private final S3Client client;

    /** @throws IOException when the CA file cannot be read */
    S3Access(BucketSettings settings) throws IOException {
        this.settings = settings;
        this.store = settings.store();
        this.client = client(settings);
    }

    /** The bucket's name. */
    String bucket() {
        return store.bucketName();
    }

    /** An object as a listing shows it: its ETag without quotes. */
    record Listed(String key, String etag) {}

    /** An object read with the headers the lease needs. */
    record Fetched(byte[] content, String etag, Instant lastModified, Instant serverTime) {}

    /** What a conditional write requires of the object already at its key. */
    sealed interface Condition {
        /** No condition. */
        record None() implements Condition {}

        /** The key must hold nothing ({@code If-None-Match: *}). */
        record Absent() implements Condition {}

        /** The key must hold the object with this ETag ({@code If-Match}). */
        record Holds(String etag) implements Condition {}
    }

    /**
     * Every object under {@code prefix}, by key; empty when the bucket does not exist.
     *
     * @throws IOException when the server cannot be reached or refuses the request
     */
    Optional<SortedMap<String, String>> list(String prefix) throws IOException {
        SortedMap<String, String> objects = new TreeMap<>();
        try {
            for (var page :
                    client.listObjectsV2Paginator(r -> r.bucket(bucket()).prefix(prefix))) {
                for (S3Object object : page.contents()) {
                    objects.put(object.key(), unquote(object.eTag()));
                }
            }
        } catch (NoSuchBucketException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("list the objects under " + (prefix.isEmpty() ? "the bucket's root" : prefix), e);
        }
        return Optional.of(objects);
    }

    /** Creates the bucket, as Kratix's bucket writer does when it is missing. */
    void createBucket() throws IOException {
        try {
            client.createBucket(r -> r.bucket(bucket()));
        } catch (S3Exception e) {
            if (!"BucketAlreadyOwnedByYou".equals(code(e)) && !"BucketAlreadyExists".equals(code(e))) {
                throw failure("create the bucket " + bucket() + " (it does not exist)", e);
            }
        } catch (SdkException e) {
            throw failure("create the bucket " + bucket() + " (it does not exist)", e);
        }
    }

    /** An object's bytes. */
    byte[] get(String key) throws IOException {
        return fetch(key)
                .orElseThrow(() -> new IOException(where() + ": object " + key
                        + " is gone from the bucket since it was listed; another writer changed it, run again"))
                .content();
    }

    /** An object with its ETag, last-modified time and the server's clock; empty when missing. */
    Optional<Fetched> fetch(String key) throws IOException {
        try {
            ResponseBytes<GetObjectResponse> bytes =
                    client.getObjectAsBytes(r -> r.bucket(bucket()).key(key));
            GetObjectResponse response = bytes.response();
            Instant now = response.sdkHttpResponse()
                    .firstMatchingHeader("Date")
                    .map(S3Access::httpDate)
                    .orElseGet(Instant::now);
            return Optional.of(
                    new Fetched(bytes.asByteArray(), unquote(response.eTag()), response.lastModified(), now));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("read " + key, e);
        }
    }

    /** The ETag of the object at {@code key}; empty when there is none. */
    Optional<String> etag(String key) throws IOException {
        try {
            return Optional.of(
                    unquote(client.headObject(r -> r.bucket(bucket()).key(key)).eTag()));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("read " + key, e);
        } catch (SdkException e) {
            throw failure("read " + key, e);
        }
    }

    /**
     * Writes an object.
     *
     * @param timeout how long the request may take; empty for the store's request timeout
     * @return its new ETag
     * @throws StaleStateException when {@code condition} does not hold (412, or 404 for an {@code
     *     If-Match} on a missing key)
     */
    String put(String key, byte[] content, Condition condition, Optional<Duration> timeout) throws IOException {
        PutObjectRequest.Builder request =
                PutObjectRequest.builder().bucket(bucket()).key(key);
        if (condition instanceof Condition.Absent) {
            request.ifNoneMatch("*");
        } else if (condition instanceof Condition.Holds holds) {
            request.ifMatch('"' + holds.etag() + '"');
        }
        timeout.ifPresent(t -> request.overrideConfiguration(c -> c.apiCallTimeout(t)));
        try {
            return unquote(client.putObject(request.build(), RequestBody.fromBytes(content))
                    .eTag());
        } catch (S3Exception e) {
            if (!(condition instanceof Condition.None) && (e.statusCode() == 412 || e.statusCode() == 404)) {
                throw new StaleStateException(
                        where() + ": " + key + " changed while kbr wrote it", Optional.empty(), Optional.empty());
            }
            throw failure("write " + key, e);
        } catch (SdkException e) {
            throw failure("write " + key, e);
        }
    }

    /** Deletes one object; a missing one counts as deleted. */
    void delete(String key) throws IOException {
        try {
            client.deleteObject(r -> r.bucket(bucket()).key(key));
        } catch (SdkException e) {
            throw failure("delete " + key, e);
        }
    }

    /** Deletes objects, at most a thousand per request (S3's limit); missing ones count as deleted. */
    void deleteAll(List<String> keys) throws IOException {
        for (int start = 0; start < keys.size(); start += DELETE_BATCH) {
            List<ObjectIdentifier> batch = new ArrayList<>();
            for (String key : keys.subList(start, Math.min(keys.size(), start + DELETE_BATCH))) {
                batch.add(ObjectIdentifier.builder().key(key).build());
            }
            DeleteObjectsResponse response;
            try {
                response = client.deleteObjects(r -> r.bucket(bucket())
                        .delete(Delete.builder().objects(batch).quiet(true).build()));
            } catch (SdkException e) {
                throw failure("delete " + batch.size() + " objects", e);
            }
            if (response.hasErrors() && !response.errors().isEmpty()) {
                var first = response.errors().get(0);
                throw new IOException(
                        where() + ": could not delete " + response.errors().size() + " objects, e.g. " + first.key()
                                + ": " + first.code() + " " + first.message());
            }
        }
    }

    /** {@code BucketStateStore NAME (URL)}: how messages name the store. */
    String where() {
        return "BucketStateStore " + store.name() + " (" + store.displayUrl() + ")";
    }

    private IOException failure(String action, SdkException e) {
        String fix;
        if (e instanceof S3Exception s3 && s3.statusCode() == 403) {
            String credentials = settings.accessKey()
                    .map(key -> "the access key in " + key.source()
                            + " (keys accessKeyID and secretAccessKey, named by spec.secretRef at " + store.location()
                            + ")")
                    .orElse("the credentials of the S3 client's standard chain (authMethod IAM: environment, web"
                            + " identity token, instance or Pod role)");
            fix = "the server refused " + credentials + " (" + code(s3) + "); check that they are right and may use"
                    + " bucket " + bucket();
        } else if (e instanceof NoSuchBucketException) {
            fix = "bucket " + bucket() + " does not exist; check spec.bucketName at " + store.location();
        } else if (e instanceof S3Exception s3) {
            fix = "the server answered " + s3.statusCode() + " " + code(s3) + ": " + firstLine(s3.getMessage());
        } else if (e instanceof SdkClientException) {
            fix = "cannot reach " + store.endpoint().uri() + ": " + firstLine(e.getMessage())
                    + "; check spec.endpoint and spec.insecure at " + store.location();
        } else {
            fix = firstLine(e.getMessage());
        }
        return new IOException(where() + ": could not " + action + ": " + fix, e);
    }

    private static String code(S3Exception e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                ? e.awsErrorDetails().errorCode()
                : "HTTP " + e.statusCode();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    static String unquote(String etag) {
        if (etag == null) {
            return "";
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1)
                : etag;
    }

    private static Instant httpDate(String value) {
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
        } catch (RuntimeException e) {
            return Instant.now();
        }
    }

    private static S3Client client(BucketSettings settings) throws IOException {
        BucketStateStore store = settings.store();
        URI endpoint = store.endpoint().uri();
        boolean aws = endpoint.getHost() != null && endpoint.getHost().endsWith(".amazonaws.com");
        AwsCredentialsProvider credentials = settings.accessKey()
                .<AwsCredentialsProvider>map(
                        key -> StaticCredentialsProvider.create(AwsBasicCredentials.create(key.id(), key.secret())))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
        UrlConnectionHttpClient.Builder http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(settings.timeout());
        if (settings.trustedCaFile().isPresent()) {
            TrustManager[] trust =
                    TrustedCas.trustManagers(settings.trustedCaFile().get());
            http.tlsTrustManagersProvider(() -> trust);
        }
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(region(endpoint))
                .forcePathStyle(!aws)
                .dualstackEnabled(store.endpoint().useDualStack())
                .crossRegionAccessEnabled(aws)
                .credentialsProvider(credentials)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .serviceConfiguration(
                        S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .httpClient(http.build())
                .overrideConfiguration(c -> c.apiCallTimeout(settings.timeout()))
                .build();
    }

    /**
     * {@code AWS_REGION} when set, else the region in an AWS host name ({@code
     * s3.eu-west-1.amazonaws.com}), else {@code us-east-1}, which MinIO and most S3-compatible
     * servers accept whatever their own.
     */
    private static Region region(URI endpoint) {
        String env = System.getenv("AWS_REGION");
        if (env != null && !env.isBlank()) {
            return Region.of(env);
        }
        String host = endpoint.getHost() == null ? "" : endpoint.getHost();
        var matcher = java.util.regex.Pattern.compile("(?:^|\\.)s3[.-]([a-z0-9-]+)\\.amazonaws\\.com$")
                .matcher(host);
        return matcher.find() && !matcher.group(1).equals("dualstack") ? Region.of(matcher.group(1)) : Region.US_EAST_1;
    }

    @Override
    public void close() {
        client.close();
    }
}
