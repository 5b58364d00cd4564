package dev.kbr.load;

import dev.kbr.model.BucketStateStore;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.GitStateStore;
import dev.kbr.model.SecretRef;
import java.util.List;
import java.util.Optional;

/**
 * Maps a state store document to its model: a GitStateStore ({@code
 * api/v1alpha1/gitstatestore_types.go}) or a BucketStateStore ({@code
 * api/v1alpha1/bucketstatestore_types.go}), with the defaults Kratix's CRDs give.
 */
final class StateStoreMapper extends DocumentFields {

    StateStoreMapper(YamlDocument doc, List<Diagnostic> diagnostics) {
        super(doc, diagnostics);
    }

    Optional<GitStateStore> gitStateStore() {
        int errorsBefore = errorCount();
        String name = requiredText("metadata.name", "name the GitStateStore");
        expectMap("spec");
        String url = optionalText("spec.url", "");
        String storePath = folder("spec.path", optionalText("spec.path", ""));
        String branch = optionalText("spec.branch", "main");
        String authMethod = optionalText("spec.authMethod", "basicAuth");
        String authorName = optionalText("spec.gitAuthor.name", "kratix");
        String authorEmail = optionalText("spec.gitAuthor.email", "");
        Optional<SecretRef> secret = secretRef();
        if (errorCount() > errorsBefore) {
            return Optional.empty();
        }
        return Optional.of(new GitStateStore(
                name, url, storePath, branch, secret, authMethod, authorName, authorEmail, doc.location()));
    }

    /**
     * A BucketStateStore. {@code spec.bucketName} and {@code spec.endpoint} are required, as in
     * Kratix's CRD; {@code spec.authMethod} is {@code accessKey} (the default, which needs {@code
     * spec.secretRef}) or {@code IAM}.
     */
    Optional<BucketStateStore> bucketStateStore() {
        int errorsBefore = errorCount();
        String name = requiredText("metadata.name", "name the BucketStateStore");
        expectMap("spec");
        String bucketName = requiredText("spec.bucketName", "name the bucket Kratix writes to, e.g. kratix");
        String endpoint =
                requiredText("spec.endpoint", "give the S3 server as host or host:port, e.g. minio.example.com:9000");
        boolean insecure = optionalBoolean("spec.insecure", false);
        boolean dualStack = optionalBoolean("spec.useDualStack", false);
        String storePath = folder("spec.path", optionalText("spec.path", ""));
        String authMethod = optionalText("spec.authMethod", BucketStateStore.ACCESS_KEY);
        Optional<SecretRef> secret = secretRef();
        if (!authMethod.equals(BucketStateStore.ACCESS_KEY) && !authMethod.equals(BucketStateStore.IAM)) {
            error(
                    "spec.authMethod",
                    "is \"" + authMethod + "\"; use accessKey (keys accessKeyID and secretAccessKey of"
                            + " spec.secretRef) or IAM (the S3 client's standard credentials)");
        } else if (authMethod.equals(BucketStateStore.ACCESS_KEY)
                && secret.isEmpty()
                && !node("spec.secretRef").isObject()) {
            error(
                    "spec.secretRef",
                    "is required with authMethod accessKey; name the Secret holding accessKeyID and"
                            + " secretAccessKey, or set authMethod: IAM");
        }
        if (errorCount() > errorsBefore) {
            return Optional.empty();
        }
        return Optional.of(new BucketStateStore(
                name,
                bucketName,
                new BucketStateStore.Endpoint(endpoint, insecure, dualStack),
                storePath,
                new BucketStateStore.Auth(authMethod, secret),
                doc.location()));
    }

    private Optional<SecretRef> secretRef() {
        if (!node("spec.secretRef").isObject()) {
            return Optional.empty();
        }
        String secretName = requiredText("spec.secretRef.name", "name the Secret");
        return secretName == null
                ? Optional.empty()
                : Optional.of(new SecretRef(node("spec.secretRef.namespace").asText("default"), secretName));
    }
}
