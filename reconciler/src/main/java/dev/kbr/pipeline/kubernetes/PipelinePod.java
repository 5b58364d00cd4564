package dev.kbr.pipeline.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kbr.model.Container;
import dev.kbr.model.Pipeline;
import dev.kbr.model.PipelineSpec;
import dev.kbr.model.VolumeMount;
import dev.kbr.pipeline.PipelineInvocation;
import dev.kbr.pipeline.PlatformAccess;
import dev.kbr.run.RunOwner;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The Pod, ConfigMap and Secret of one pipeline run, as values (no API calls): the shape of a
 * Kratix pipeline Pod (Kratix {@code api/v1alpha1/pipeline_factory.go}, {@code pipelineJob}) with
 * kbr's own containers in place of Kratix's pipeline-adapter ones.
 *
 * <ul>
 *   <li>init container {@value #READER} (the helper image) copies {@code object.yaml} from the
 *       run's ConfigMap into the {@code shared-input} emptyDir, as Kratix's {@code reader} writes
 *       {@code /kratix/input/object.yaml}, so pipelines see a regular file;
 *   <li>init containers: the pipeline's containers, in order, with {@code /kratix/input}
 *       read-only and {@code /kratix/output}, {@code /kratix/metadata} read-write, then their own
 *       volume mounts; env the {@code KRATIX_*} variables, then their own, Secret-derived values
 *       as {@code secretKeyRef}s into the run's Secret; {@code $(VAR)} references are left for
 *       the kubelet to expand;
 *   <li>container {@value #OUTPUTS} (the helper image) sleeps, so that kbr can copy {@code
 *       /kratix/output} and {@code /kratix/metadata} out through {@code exec tar} once the init
 *       containers are done.
 * </ul>
 *
 * <p>From the Pipeline document: {@code metadata.labels} and {@code metadata.annotations}, {@code
 * spec.imagePullSecrets}, {@code spec.rbac.serviceAccount}, {@code spec.nodeSelector}, {@code
 * spec.tolerations}, {@code spec.volumes} (a Secret, ConfigMap or projected volume with its files
 * in the run's Secret and ConfigMap: {@link PodVolumes}), and per container {@code imagePullPolicy} and the
 * {@code resources} (Kratix's built-in defaults when absent) and {@code securityContext} fields
 * that {@link PipelineSpec} reads ({@link PodContainerSpec}). Restart policy is
 * {@code Never}: a failed container fails the run, which the next pass retries.
 */
final class PipelinePod {
    /** kbr's init container that fills {@code /kratix/input}; the name Kratix uses for it. */
    static final String READER = "reader";

    /** kbr's container that keeps the Pod alive until the outputs are copied out. */
    static final String OUTPUTS = "kbr-outputs";

    /** The volume of the platform API's service account files; not a DNS label a Pipeline could use. */
    static final String SERVICE_ACCOUNT_VOLUME = "kbr-kube-api-access";

    /** Prefix of the run Secret's keys holding the service account files. */
    static final String SERVICE_ACCOUNT_KEY_PREFIX = "kbr-service-account.";

    /** Label set to {@code true} on every Pod, ConfigMap and Secret this runner creates. */
    static final String MANAGED_LABEL = "dev.kbr.managed";

    /** Label holding the pipeline name. */
    static final String PIPELINE_LABEL = "dev.kbr.pipeline";

    /**
     * Annotation naming the kbr process that created the Pod, {@code <host>:<pid>:<start-millis>}
     * ({@link RunOwner#label()}); an annotation because label values cannot hold {@code :}.
     */
    static final String RUN_ANNOTATION = "dev.kbr.run";

    /** Annotation naming the Pod kbr ran in, {@code <namespace>/<name>}, when it ran in one. */
    static final String OWNER_POD_ANNOTATION = "dev.kbr.owner-pod";

    /** Key of the input object in the run's ConfigMap. */
    static final String OBJECT_KEY = "object.yaml";

    /** User and group of kbr's helper containers (nobody), so they run as non-root. */
    static final long HELPER_USER = 65534;

    /**
     * Seconds a Pod may live beyond the pipeline timeout, for copying the outputs out; after that
     * the API server stops it ({@code activeDeadlineSeconds}) even if no kbr is left to do so.
     */
    static final long FETCH_MARGIN_SECONDS = 120;

    static final String INPUT_VOLUME = "shared-input";
    static final String OUTPUT_VOLUME = "shared-output";
    static final String METADATA_VOLUME = "shared-metadata";
    static final String OBJECT_VOLUME = "kbr-object";
    static final String OBJECT_MOUNT = "/kbr/object";

    // Kratix's built-in defaults for containers without resources (pipeline_types.go,
    // DefaultResourceRequirements).
    static final ResourceRequirements DEFAULT_RESOURCES = new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("100m"))
            .addToRequests("memory", new Quantity("128Mi"))
            .addToRequests("ephemeral-storage", new Quantity("128Mi"))
            .addToLimits("cpu", new Quantity("200m"))
            .addToLimits("memory", new Quantity("256Mi"))
            .addToLimits("ephemeral-storage", new Quantity("256Mi"))
            .build();

    // A ConfigMap holds at most 1 MiB; the object's bytes are base64-encoded in binaryData.
    static final int MAX_OBJECT_BYTES = 700 * 1024;

    // Kubernetes' label value syntax (apimachinery validation.IsValidLabelValue).
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    // Kratix keeps 63 - 6 characters for the base name, leaving room for "-" and 5 random ones
    // (lib/objectutil/name.go).
    private static final int MAX_BASE_NAME = 56;
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private PipelinePod() {}

    /**
     * The objects of one run; the ConfigMap and Secret are not yet owned by the Pod.
     *
     * @param pod the Pod
     * @param input the ConfigMap holding {@value #OBJECT_KEY}
     * @param secret the Secret holding the Secret-derived variables and volume files, when there are any
     */
    record Plan(Pod pod, ConfigMap input, Optional<Secret> secret) {}

    /** A Pipeline field that cannot become part of a Pod. */
    static final class InvalidPipeline extends Exception {
        private static final long serialVersionUID = 1L;
        private final String where;

        InvalidPipeline(String where, String reason) {
            super(reason);
            this.where = where;
        }

        /** The container or pipeline the problem is in. */
        String where() {
            return where;
        }
    }

    /**
     * The name of the run's Pod, ConfigMap and Secret: Kratix's Job name pattern {@code
     * kratix-<promise>[-<request>-<namespace>]-<pipeline>}, cut to 56 characters, then {@code
     * -<suffix>}.
     *
     * @param suffix five lower-case letters or digits telling runs apart
     */
    static String name(PipelineInvocation invocation, String suffix) {
        Map<String, String> env = invocation.env();
        StringBuilder base = new StringBuilder("kratix-").append(env.getOrDefault("KRATIX_PROMISE_NAME", ""));
        if ("resource".equals(env.get("KRATIX_WORKFLOW_TYPE"))) {
            base.append('-').append(env.getOrDefault("KRATIX_OBJECT_NAME", ""));
            base.append('-').append(env.getOrDefault("KRATIX_OBJECT_NAMESPACE", ""));
        }
        base.append('-').append(invocation.pipeline().name());
        String name = base.toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
        if (name.length() > MAX_BASE_NAME) {
            name = name.substring(0, MAX_BASE_NAME);
        }
        name = name.replaceAll("-+$", "");
        return name + "-" + suffix;
    }

    /**
     * Builds the run's objects.
     *
     * @param containerSpecs the containers' resources and security contexts, already checked
     *     to hold only fields both runners honour
     * @param name from {@link #name}
     * @throws InvalidPipeline when a field of the Pipeline document has the wrong shape, or a
     *     user container takes a name of kbr's own containers, or the object is too large
     */
    static Plan plan(
            PipelineInvocation invocation,
            PipelineSpec containerSpecs,
            String name,
            KubernetesRunnerSettings settings,
            RunOwner owner)
            throws InvalidPipeline {
        Pipeline pipeline = invocation.pipeline();
        for (Container container : pipeline.containers()) {
            if (container.name().equals(READER) || container.name().equals(OUTPUTS)) {
                throw new InvalidPipeline(
                        container.name(),
                        "container name `" + container.name() + "` is used by kbr's own containers in the"
                                + " pipeline Pod; rename the container in the Pipeline's spec.containers");
            }
        }
        byte[] object = invocation.objectYaml();
        if (object.length > MAX_OBJECT_BYTES) {
            throw new InvalidPipeline(
                    pipeline.name(),
                    "the input object has " + object.length + " bytes, more than the " + MAX_OBJECT_BYTES
                            + " a ConfigMap can carry to the pipeline Pod");
        }
        SortedMap<String, byte[]> secretFiles = PodVolumes.files(pipeline, true);
        SortedMap<String, byte[]> configMapFiles = PodVolumes.files(pipeline, false);
        long secretBytes =
                secretFiles.values().stream().mapToLong(b -> b.length).sum();
        long configMapBytes = object.length
                + configMapFiles.values().stream().mapToLong(b -> b.length).sum();
        if (secretBytes > MAX_OBJECT_BYTES || configMapBytes > MAX_OBJECT_BYTES) {
            throw new InvalidPipeline(
                    pipeline.name(),
                    "the files of the Pipeline's Secret and ConfigMap volumes (with the input object) come to "
                            + Math.max(secretBytes, configMapBytes) + " bytes, more than the " + MAX_OBJECT_BYTES
                            + " a Secret or ConfigMap can carry to the pipeline Pod");
        }
        JsonNode spec = pipeline.document().path("spec");
        ObjectMeta meta = metadata(invocation, name, settings, owner);
        Map<String, String> secretData = new TreeMap<>();
        List<io.fabric8.kubernetes.api.model.Container> initContainers = new ArrayList<>();
        initContainers.add(reader(settings));
        for (int i = 0; i < pipeline.containers().size(); i++) {
            Container container = pipeline.containers().get(i);
            initContainers.add(
                    userContainer(invocation, container, containerSpecs.of(container.name()), name, secretData));
        }
        List<Volume> volumes = PodVolumes.of(pipeline, name);
        invocation.platformAccess().ifPresent(access -> {
            access.serviceAccountFiles()
                    .forEach((file, bytes) -> secretData.put(
                            SERVICE_ACCOUNT_KEY_PREFIX + file, new String(bytes, StandardCharsets.UTF_8)));
            volumes.add(PodVolumes.serviceAccount(name, access));
        });
        long deadlineSeconds = seconds(invocation.timeout()) + FETCH_MARGIN_SECONDS;
        PodBuilder pod = new PodBuilder()
                .withMetadata(meta)
                .withNewSpec()
                .withRestartPolicy("Never")
                .withActiveDeadlineSeconds(deadlineSeconds)
                // Kubernetes would add a variable per Service; pipelines get only KRATIX_* and
                // their own, as with the Docker runner.
                .withEnableServiceLinks(false)
                .withInitContainers(initContainers)
                .withContainers(outputs(settings, deadlineSeconds))
                .withVolumes(volumes)
                .withImagePullSecrets(DocumentFields.convertList(
                        spec.path("imagePullSecrets"), LocalObjectReference.class, pipeline, "spec.imagePullSecrets"))
                .withTolerations(DocumentFields.convertList(
                        spec.path("tolerations"), Toleration.class, pipeline, "spec.tolerations"))
                .withNodeSelector(DocumentFields.stringMap(spec.path("nodeSelector"), pipeline, "spec.nodeSelector"))
                .endSpec();
        String serviceAccount = spec.path("rbac").path("serviceAccount").asText("");
        if (invocation.platformAccess().isPresent()) {
            // The platform API's token is mounted where the cluster's would be; the cluster's
            // must not be mounted over it.
            pod.editSpec().withAutomountServiceAccountToken(false).endSpec();
        }
        if (!serviceAccount.isEmpty()) {
            pod.editSpec().withServiceAccountName(serviceAccount).endSpec();
        } else {
            // Kratix gives each pipeline its own ServiceAccount; kbr creates none, and the
            // namespace's default account's token has no business in pipeline containers.
            pod.editSpec().withAutomountServiceAccountToken(false).endSpec();
        }
        ConfigMap input = new ConfigMapBuilder()
                .withMetadata(ownMetadata(name, settings.namespace(), meta.getLabels()))
                .addToBinaryData(OBJECT_KEY, Base64.getEncoder().encodeToString(object))
                .addToBinaryData(base64(configMapFiles))
                .withImmutable(true)
                .build();
        Optional<Secret> secret = secretData.isEmpty() && secretFiles.isEmpty()
                ? Optional.empty()
                : Optional.of(new SecretBuilder()
                        .withMetadata(ownMetadata(name, settings.namespace(), meta.getLabels()))
                        .withType("Opaque")
                        .withStringData(secretData)
                        .withData(base64(secretFiles))
                        .withImmutable(true)
                        .build());
        return new Plan(pod.build(), input, secret);
    }

    private static Map<String, String> base64(SortedMap<String, byte[]> files) {
        Map<String, String> encoded = new TreeMap<>();
        files.forEach((key, bytes) -> encoded.put(key, Base64.getEncoder().encodeToString(bytes)));
        return encoded;
    }

    /** A copy of {@code object} owned by the Pod, so the API server deletes it with the Pod. */
    static <T extends HasMetadata> T ownedBy(T object, Pod pod) {
        T copy = SERIALIZATION.clone(object);
        copy.getMetadata()
                .setOwnerReferences(List.of(new OwnerReferenceBuilder()
                        .withApiVersion("v1")
                        .withKind("Pod")
                        .withName(pod.getMetadata().getName())
                        .withUid(pod.getMetadata().getUid())
                        .build()));
        return copy;
    }

    /** Pod labels: Kratix's, then the Pipeline's, then kbr's; annotations: the Pipeline's, then kbr's. */
    private static ObjectMeta metadata(
            PipelineInvocation invocation, String name, KubernetesRunnerSettings settings, RunOwner owner)
            throws InvalidPipeline {
        Map<String, String> env = invocation.env();
        Pipeline pipeline = invocation.pipeline();
        Map<String, String> labels = new TreeMap<>();
        putLabel(labels, "kratix.io/promise-name", env.get("KRATIX_PROMISE_NAME"));
        putLabel(labels, "kratix.io/workflow-type", env.get("KRATIX_WORKFLOW_TYPE"));
        putLabel(labels, "kratix.io/workflow-action", env.get("KRATIX_WORKFLOW_ACTION"));
        putLabel(labels, "kratix.io/pipeline-name", pipeline.name());
        // Kratix says "Kratix" here; these Pods are kbr's.
        labels.put("app.kubernetes.io/managed-by", "kbr");
        if ("resource".equals(env.get("KRATIX_WORKFLOW_TYPE"))) {
            putLabel(labels, "kratix.io/resource-name", env.get("KRATIX_OBJECT_NAME"));
            // Kratix adds this when Pods run outside the request's namespace, as kbr's always do.
            putLabel(labels, "kratix.io/resource-namespace", env.get("KRATIX_OBJECT_NAMESPACE"));
        }
        labels.putAll(pipeline.labels());
        labels.put(MANAGED_LABEL, "true");
        putLabel(labels, PIPELINE_LABEL, pipeline.name());
        Map<String, String> annotations = new TreeMap<>(DocumentFields.stringMap(
                pipeline.document().path("metadata").path("annotations"), pipeline, "metadata.annotations"));
        annotations.put(RUN_ANNOTATION, owner.label());
        settings.ownerPod().ifPresent(pod -> annotations.put(OWNER_POD_ANNOTATION, pod));
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(settings.namespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .build();
    }

    private static ObjectMeta ownMetadata(String name, String namespace, Map<String, String> podLabels) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(new TreeMap<>(podLabels))
                .build();
    }

    /** Adds the label when the value is one Kubernetes accepts; names that are not are left out. */
    private static void putLabel(Map<String, String> labels, String key, String value) {
        if (value != null && value.length() <= 63 && LABEL_VALUE.matcher(value).matches()) {
            labels.put(key, value);
        }
    }

    private static io.fabric8.kubernetes.api.model.Container reader(KubernetesRunnerSettings settings) {
        return new ContainerBuilder()
                .withName(READER)
                .withImage(settings.helperImage())
                .withImagePullPolicy("IfNotPresent")
                .withCommand("cp")
                .withArgs(OBJECT_MOUNT + "/" + OBJECT_KEY, "/kratix/input/" + OBJECT_KEY)
                .withVolumeMounts(mount(OBJECT_VOLUME, OBJECT_MOUNT, true), mount(INPUT_VOLUME, "/kratix/input", false))
                .withSecurityContext(helperSecurityContext())
                .withResources(DEFAULT_RESOURCES)
                .build();
    }

    private static io.fabric8.kubernetes.api.model.Container outputs(
            KubernetesRunnerSettings settings, long deadlineSeconds) {
        return new ContainerBuilder()
                .withName(OUTPUTS)
                .withImage(settings.helperImage())
                .withImagePullPolicy("IfNotPresent")
                // Bounded, so a Pod whose kbr died stops on its own.
                .withCommand("sleep")
                .withArgs(Long.toString(deadlineSeconds))
                .withVolumeMounts(
                        mount(OUTPUT_VOLUME, "/kratix/output", true), mount(METADATA_VOLUME, "/kratix/metadata", true))
                .withSecurityContext(helperSecurityContext())
                .withResources(DEFAULT_RESOURCES)
                .build();
    }

    private static io.fabric8.kubernetes.api.model.Container userContainer(
            PipelineInvocation invocation,
            Container container,
            PipelineSpec.ContainerSpec spec,
            String secretName,
            Map<String, String> secretData) {
        List<EnvVar> env = new ArrayList<>();
        invocation.env().forEach((key, value) -> env.add(new EnvVar(key, value, null)));
        for (dev.kbr.model.EnvVar variable : container.env()) {
            if (variable.fromReference()) {
                // Values from Secrets and ConfigMaps travel in the run's Secret: the kubelet would
                // expand $(VAR) in a plain value, and does not in one given by reference.
                String key = secretKey(container.name(), variable.name());
                secretData.put(key, variable.value());
                env.add(new EnvVarBuilder()
                        .withName(variable.name())
                        .withNewValueFrom()
                        .withNewSecretKeyRef(key, secretName, false)
                        .endValueFrom()
                        .build());
            } else {
                env.add(new EnvVar(variable.name(), variable.value(), null));
            }
        }
        List<io.fabric8.kubernetes.api.model.VolumeMount> mounts = new ArrayList<>();
        mounts.add(mount(INPUT_VOLUME, "/kratix/input", true));
        mounts.add(mount(OUTPUT_VOLUME, "/kratix/output", false));
        mounts.add(mount(METADATA_VOLUME, "/kratix/metadata", false));
        for (VolumeMount own : container.volumeMounts()) {
            mounts.add(mount(own.name(), own.mountPath(), own.readOnly()));
        }
        if (invocation.platformAccess().isPresent()
                && container.volumeMounts().stream()
                        .noneMatch(own -> own.mountPath().equals(PlatformAccess.SERVICE_ACCOUNT_DIRECTORY))) {
            mounts.add(mount(SERVICE_ACCOUNT_VOLUME, PlatformAccess.SERVICE_ACCOUNT_DIRECTORY, true));
        }
        return new ContainerBuilder()
                .withName(container.name())
                .withImage(container.image())
                .withImagePullPolicy(container.imagePullPolicy().orElse(null))
                .withCommand(container.command().isEmpty() ? null : container.command())
                .withArgs(container.args().isEmpty() ? null : container.args())
                .withEnv(env)
                .withVolumeMounts(mounts)
                .withResources(PodContainerSpec.resources(spec))
                .withSecurityContext(PodContainerSpec.securityContext(spec))
                .build();
    }

    /**
     * The key of a variable in the run's Secret: {@code <container>.<variable>}, or, for a
     * variable name a Secret key cannot hold, {@code <container>.<sha256 of it, 16 hex digits>}.
     */
    static String secretKey(String container, String variable) {
        if (SECRET_KEY.matcher(variable).matches()) {
            return container + "." + variable;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(variable.getBytes(StandardCharsets.UTF_8));
            return container + "." + HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }

    private static io.fabric8.kubernetes.api.model.VolumeMount mount(String volume, String path, boolean readOnly) {
        return new VolumeMountBuilder()
                .withName(volume)
                .withMountPath(path)
                .withReadOnly(readOnly ? Boolean.TRUE : null)
                .build();
    }

    /** Kratix's security context for its own containers, with a numeric non-root user. */
    private static SecurityContext helperSecurityContext() {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .withPrivileged(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .withRunAsUser(HELPER_USER)
                .withRunAsGroup(HELPER_USER)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .build();
    }

    private static long seconds(Duration duration) {
        long seconds = duration.toSeconds();
        return duration.toNanosPart() > 0 ? seconds + 1 : Math.max(seconds, 1);
    }
}
