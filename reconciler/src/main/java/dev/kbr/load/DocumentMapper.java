package dev.kbr.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kbr.model.ConfigMapKeyRef;
import dev.kbr.model.Container;
import dev.kbr.model.Destination;
import dev.kbr.model.DestinationCleanup;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.EnvFromSource;
import dev.kbr.model.EnvVar;
import dev.kbr.model.FilepathMode;
import dev.kbr.model.GroupVersionKind;
import dev.kbr.model.Pipeline;
import dev.kbr.model.Promise;
import dev.kbr.model.PromiseApi;
import dev.kbr.model.RequiredPromise;
import dev.kbr.model.ResourceRequest;
import dev.kbr.model.SecretKeyRef;
import dev.kbr.model.Selector;
import dev.kbr.model.StateStoreRef;
import dev.kbr.model.Volume;
import dev.kbr.model.VolumeMount;
import dev.kbr.model.Workflows;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Maps one YAML document to a model record, collecting a diagnostic for every field that is
 * missing or of the wrong shape. Field rules mirror the Kratix CRDs in {@code api/v1alpha1/}.
 */
final class DocumentMapper extends DocumentFields {

    DocumentMapper(YamlDocument doc, List<Diagnostic> diagnostics) {
        super(doc, diagnostics);
    }

    Optional<Promise> promise() {
        int errorsBefore = errorCount();
        String name = requiredText("metadata.name", "name the Promise");
        for (String map : List.of("spec", "spec.workflows", "spec.workflows.promise", "spec.workflows.resource")) {
            expectMap(map);
        }
        JsonNode spec = objectAt("spec");
        if (spec.has("xaasCrd") || spec.has("workerClusterResources")) {
            error(
                    spec.has("xaasCrd") ? "spec.xaasCrd" : "spec.workerClusterResources",
                    "unsupported legacy Promise format (Kratix before workflows); rewrite it with spec.api and"
                            + " spec.workflows");
        }
        Optional<PromiseApi> api = promiseApi();
        List<ObjectNode> dependencies = new ArrayList<>();
        JsonNode deps = node("spec.dependencies");
        if (deps.isArray()) {
            for (int i = 0; i < deps.size(); i++) {
                if (deps.get(i).isObject()) {
                    dependencies.add((ObjectNode) deps.get(i));
                } else {
                    error("spec.dependencies[" + i + "]", "must be a Kubernetes object (a map)");
                }
            }
        } else if (!deps.isMissingNode() && !deps.isNull()) {
            error("spec.dependencies", "must be a list of Kubernetes objects");
        }
        Workflows workflows = new Workflows(
                pipelines("spec.workflows.promise.configure"),
                pipelines("spec.workflows.promise.delete"),
                pipelines("spec.workflows.resource.configure"),
                pipelines("spec.workflows.resource.delete"));
        List<Selector> selectors = selectors("spec.destinationSelectors");
        List<RequiredPromise> required = new ArrayList<>();
        JsonNode req = node("spec.requiredPromises");
        if (!req.isMissingNode() && !req.isNull() && !req.isArray()) {
            error("spec.requiredPromises", "must be a list of {name, version}, not " + typeName(req));
        }
        for (int i = 0; req.isArray() && i < req.size(); i++) {
            String path = "spec.requiredPromises[" + i + "]";
            String reqName = requiredText(path + ".name", "name the required Promise");
            String version = optionalText(path + ".version", "");
            required.add(new RequiredPromise(reqName, version.isEmpty() ? Optional.empty() : Optional.of(version)));
        }
        Map<String, String> labels = stringMap("metadata.labels");
        if (errorCount() > errorsBefore) {
            return Optional.empty();
        }
        return Optional.of(new Promise(
                name,
                labels,
                api,
                dependencies,
                workflows,
                selectors,
                required,
                (ObjectNode) doc.body(),
                doc.location(),
                doc.lines()));
    }

    private Optional<PromiseApi> promiseApi() {
        JsonNode api = node("spec.api");
        if (api.isMissingNode() || api.isNull() || (api.isObject() && api.isEmpty())) {
            return Optional.empty();
        }
        if (!api.isObject()) {
            error("spec.api", "must be a CustomResourceDefinition (a map)");
            return Optional.empty();
        }
        if (!"CustomResourceDefinition".equals(api.path("kind").asText())) {
            error("spec.api.kind", "must be CustomResourceDefinition (apiVersion apiextensions.k8s.io/v1)");
            return Optional.empty();
        }
        String group = requiredText("spec.api.spec.group", "set the API group");
        String kind = requiredText("spec.api.spec.names.kind", "set the kind of resource requests");
        String plural = requiredText("spec.api.spec.names.plural", "set the plural name");
        JsonNode versions = api.path("spec").path("versions");
        if (!versions.isArray() || versions.isEmpty()) {
            error("spec.api.spec.versions", "must list at least one version");
            return Optional.empty();
        }
        // Kratix uses the storage version, falling back to the first (promise_controller.go).
        int chosen = 0;
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).path("storage").asBoolean(false)) {
                chosen = i;
                break;
            }
        }
        String versionPath = "spec.api.spec.versions[" + chosen + "]";
        String version = requiredText(versionPath + ".name", "name the version");
        JsonNode schema = versions.get(chosen).path("schema").path("openAPIV3Schema");
        if (group == null || kind == null || plural == null || version == null) {
            return Optional.empty();
        }
        String scope = api.path("spec").path("scope").asText("Namespaced");
        return Optional.of(new PromiseApi(
                new GroupVersionKind(group, version, kind),
                plural,
                "Namespaced".equals(scope),
                schema.isObject() ? Optional.of((ObjectNode) schema) : Optional.empty(),
                (ObjectNode) api));
    }

    List<Pipeline> pipelines(String path) {
        JsonNode list = node(path);
        List<Pipeline> result = new ArrayList<>();
        if (list.isMissingNode() || list.isNull()) {
            return result;
        }
        if (!list.isArray()) {
            error(path, "must be a list of Pipeline documents");
            return result;
        }
        for (int i = 0; i < list.size(); i++) {
            String p = path + "[" + i + "]";
            JsonNode pipeline = list.get(i);
            if (!pipeline.isObject()) {
                error(p, "must be a Pipeline document (a map)");
                continue;
            }
            if (!"Pipeline".equals(pipeline.path("kind").asText())
                    || !"platform.kratix.io/v1alpha1"
                            .equals(pipeline.path("apiVersion").asText())) {
                error(p, "must have apiVersion platform.kratix.io/v1alpha1 and kind Pipeline");
                continue;
            }
            String name = requiredText(p + ".metadata.name", "name the pipeline");
            List<Volume> volumes = new VolumeMapper(doc, diagnostics).volumes(p + ".spec.volumes");
            // Every declared volume counts, also one kbr cannot provide: that one already has its
            // own error, and its mounts are not a second mistake.
            Set<String> volumeNames = new HashSet<>();
            pipeline.path("spec")
                    .path("volumes")
                    .forEach(v -> volumeNames.add(v.path("name").asText()));
            List<Container> containers = new ArrayList<>();
            JsonNode cs = pipeline.path("spec").path("containers");
            if (!cs.isArray() || cs.isEmpty()) {
                error(p + ".spec.containers", "must list at least one container");
            }
            for (int c = 0; cs.isArray() && c < cs.size(); c++) {
                container(p + ".spec.containers[" + c + "]", volumeNames).ifPresent(containers::add);
            }
            if (name != null) {
                result.add(new Pipeline(
                        name,
                        stringMap(p + ".metadata.labels"),
                        containers,
                        volumes,
                        (ObjectNode) pipeline,
                        doc.at(p)));
            }
        }
        return result;
    }

    /**
     * A variable's {@code valueFrom}: a {@code secretKeyRef} or a {@code configMapKeyRef}. A
     * {@code fieldRef} or {@code resourceFieldRef} names the Pod kbr does not have.
     */
    private Optional<EnvVar> valueFrom(String p, String envName, JsonNode valueFrom) {
        boolean secret = valueFrom.has("secretKeyRef");
        String field = secret ? "secretKeyRef" : "configMapKeyRef";
        JsonNode ref = valueFrom.path(field);
        if (!ref.isObject()) {
            error(
                    p + ".valueFrom",
                    "give a secretKeyRef or a configMapKeyRef (a fieldRef or resourceFieldRef describes a Pod,"
                            + " which a pipeline run outside a cluster does not have); or give the variable a"
                            + " plain value");
            return Optional.empty();
        }
        String at = p + ".valueFrom." + field;
        String name = requiredText(at + ".name", secret ? "name the Secret" : "name the ConfigMap");
        String key = requiredText(at + ".key", secret ? "name the key in the Secret" : "name the key in the ConfigMap");
        if (name == null || key == null) {
            return Optional.empty();
        }
        boolean optional = ref.path("optional").asBoolean(false);
        return Optional.of(
                secret
                        ? new EnvVar(envName, "", Optional.of(new SecretKeyRef(name, key, optional)))
                        : new EnvVar(
                                envName, "", Optional.empty(), Optional.of(new ConfigMapKeyRef(name, key, optional))));
    }

    private Optional<Container> container(String path, Set<String> volumeNames) {
        String name = requiredText(path + ".name", "name the container");
        String image = requiredText(path + ".image", "set the container image");
        List<EnvVar> env = new ArrayList<>();
        JsonNode envs = node(path + ".env");
        for (int i = 0; envs.isArray() && i < envs.size(); i++) {
            String p = path + ".env[" + i + "]";
            String envName = requiredText(p + ".name", "name the variable");
            JsonNode item = envs.get(i);
            if (envName == null) {
                continue;
            }
            if (item.has("valueFrom")) {
                valueFrom(p, envName, item.path("valueFrom")).ifPresent(env::add);
            } else {
                JsonNode value = item.path("value");
                env.add(new EnvVar(envName, value.isValueNode() && !value.isNull() ? value.asText() : ""));
            }
        }
        List<EnvFromSource> envFrom = new ArrayList<>();
        JsonNode froms = node(path + ".envFrom");
        for (int i = 0; froms.isArray() && i < froms.size(); i++) {
            String p = path + ".envFrom[" + i + "]";
            boolean secret = froms.get(i).has("secretRef");
            String field = secret ? "secretRef" : "configMapRef";
            JsonNode ref = froms.get(i).path(field);
            if (!ref.isObject()) {
                error(
                        p,
                        "give a secretRef or a configMapRef (kbr reads Secrets from --secrets-dir and ConfigMaps"
                                + " from the platform repository)");
                continue;
            }
            String source = requiredText(p + "." + field + ".name", secret ? "name the Secret" : "name the ConfigMap");
            if (source != null) {
                envFrom.add(new EnvFromSource(
                        secret,
                        source,
                        froms.get(i).path("prefix").asText(""),
                        ref.path("optional").asBoolean(false)));
            }
        }
        List<VolumeMount> mounts = new ArrayList<>();
        JsonNode ms = node(path + ".volumeMounts");
        for (int i = 0; ms.isArray() && i < ms.size(); i++) {
            String p = path + ".volumeMounts[" + i + "]";
            String volume = requiredText(p + ".name", "name the volume to mount");
            String mountPath = requiredText(p + ".mountPath", "set where the volume is mounted");
            if (volume == null || mountPath == null) {
                continue;
            }
            if (!volumeNames.contains(volume)) {
                error(p + ".name", "mounts volume " + volume + ", which the pipeline's spec.volumes does not define");
            } else if (!mountPath.startsWith("/")
                    || java.nio.file.Path.of(mountPath).normalize().startsWith("/kratix")
                    || java.nio.file.Path.of(mountPath).normalize().toString().equals("/")) {
                error(
                        p + ".mountPath",
                        "must be an absolute path other than / and outside /kratix (kbr provides /kratix/input,"
                                + " /kratix/output and /kratix/metadata)");
            } else {
                mounts.add(new VolumeMount(
                        volume, mountPath, ms.get(i).path("readOnly").asBoolean(false)));
            }
        }
        JsonNode policy = node(path + ".imagePullPolicy");
        if (name == null || image == null) {
            return Optional.empty();
        }
        return Optional.of(new Container(
                name,
                image,
                stringList(path + ".command"),
                stringList(path + ".args"),
                env,
                envFrom,
                mounts,
                policy.isTextual() ? Optional.of(policy.asText()) : Optional.empty()));
    }

    Optional<Destination> destination() {
        int errorsBefore = errorCount();
        String name = requiredText("metadata.name", "name the Destination");
        for (String map : List.of("spec", "spec.stateStoreRef", "spec.filepath", "spec.initWorkloads")) {
            expectMap(map);
        }
        String path = folder(
                "spec.path",
                requiredText(
                        "spec.path", "set the folder of this Destination in its state store (\".\" for the root)"));
        String storeKind = requiredText("spec.stateStoreRef.kind", "set GitStateStore or BucketStateStore");
        String storeName = requiredText("spec.stateStoreRef.name", "name the state store");
        String modeText = optionalText("spec.filepath.mode", "nestedByMetadata");
        Optional<FilepathMode> mode = FilepathMode.parse(modeText);
        if (mode.isEmpty()) {
            error("spec.filepath.mode", "must be nestedByMetadata, aggregatedYAML or none, not \"" + modeText + "\"");
        }
        String cleanupText = optionalText("spec.cleanup", "none");
        boolean strict = optionalBoolean("spec.strictMatchLabels", false);
        boolean initWorkloads = optionalBoolean("spec.initWorkloads.enabled", true);
        String filename = aggregatedFilename();
        // Read before the error check: a Destination whose labels are broken must not load with
        // none, or its workloads would be scheduled away from it.
        Map<String, String> labels = stringMap("metadata.labels");
        Optional<DestinationCleanup> cleanup = DestinationCleanup.parse(cleanupText);
        if (cleanup.isEmpty()) {
            error("spec.cleanup", "must be none or all, not \"" + cleanupText + "\"");
        }
        if (errorCount() > errorsBefore) {
            return Optional.empty();
        }
        return Optional.of(new Destination(
                name,
                labels,
                path,
                new StateStoreRef(storeKind, storeName),
                strict,
                mode.orElseThrow(),
                filename,
                initWorkloads,
                cleanup.orElseThrow(),
                doc.location()));
    }

    /** Kratix's mutating webhook defaults an empty or missing filename to {@code aggregated.yaml}. */
    private String aggregatedFilename() {
        String filename = optionalText("spec.filepath.filename", "").strip();
        if (filename.contains("/") || filename.equals("..") || filename.equals(".")) {
            error(
                    "spec.filepath.filename",
                    "\"" + filename + "\" must be a file name without \"/\"; e.g. aggregated.yaml");
        }
        return filename.isEmpty() ? "aggregated.yaml" : filename;
    }

    /** A request for {@code promise}; its GVK was already matched. */
    Optional<ResourceRequest> request(Promise promise, GroupVersionKind gvk) {
        String name = requiredText("metadata.name", "name the resource request");
        if (name == null) {
            return Optional.empty();
        }
        int errorsBefore = errorCount();
        String ns = optionalText("metadata.namespace", "");
        if (errorCount() > errorsBefore) {
            return Optional.empty();
        }
        String namespace = ns.isEmpty() ? "default" : ns;
        return Optional.of(new ResourceRequest(
                promise.name(), gvk, namespace, name, (ObjectNode) doc.body(), doc.location(), doc.lines()));
    }

    private List<Selector> selectors(String path) {
        List<Selector> result = new ArrayList<>();
        JsonNode list = node(path);
        if (list.isMissingNode() || list.isNull()) {
            return result;
        }
        if (!list.isArray()) {
            error(path, "must be a list of {matchLabels: {...}}");
            return result;
        }
        for (int i = 0; i < list.size(); i++) {
            if (!list.get(i).isObject()) {
                error(path + "[" + i + "]", "must be a map {matchLabels: {...}}, not " + typeName(list.get(i)));
                continue;
            }
            result.add(Selector.of(stringMap(path + "[" + i + "].matchLabels")));
        }
        return result;
    }
}
