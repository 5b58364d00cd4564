package dev.kbr.cli;

import dev.kbr.pipeline.ImageMirrors;
import dev.kbr.pipeline.kubernetes.KubernetesRunnerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Where and how pipeline containers run: the runner, its settings, {@code --pipeline-timeout}
 * and {@code --image-mirror}. Shared by {@code plan}, {@code apply} and {@code render}.
 */
final class RunnerOptions {

    @Option(
            names = "--runner",
            paramLabel = "RUNNER",
            description = {
                "Where pipeline containers run: 'docker' (a Docker engine) or 'kubernetes' (one Pod per",
                "pipeline in --kubernetes-namespace). Default: kubernetes when $KUBERNETES_SERVICE_HOST is",
                "set (kbr runs in a Pod), else docker."
            })
    String runner;

    @Option(
            names = "--kubernetes-namespace",
            paramLabel = "NS",
            description = {
                "Namespace of the pipeline Pods of --runner kubernetes (default: the namespace kbr's own Pod",
                "runs in, else the current kubeconfig context's, else 'default')."
            })
    String kubernetesNamespace;

    @Option(
            names = "--kubernetes-helper-image",
            paramLabel = "IMAGE",
            defaultValue = KubernetesRunnerSettings.DEFAULT_HELPER_IMAGE,
            description = {
                "Image of kbr's own containers in each pipeline Pod, which copy the input in and the outputs",
                "out; needs cp, sleep and tar and runs as user 65534 (default: ${DEFAULT-VALUE})."
            })
    String kubernetesHelperImage;

    @Option(
            names = "--docker-host",
            paramLabel = "URL",
            description = "Docker engine to run pipelines on (default: $DOCKER_HOST, else the local socket).")
    String dockerHost;

    @Option(
            names = "--pipeline-network",
            paramLabel = "MODE",
            defaultValue = "default",
            description = {
                "Network of pipeline containers: 'default' (the engine's default network, as Kratix",
                "pipeline pods have) or 'none' to sandbox them (default: ${DEFAULT-VALUE})."
            })
    String pipelineNetwork;

    @Option(
            names = "--platform-api",
            paramLabel = "MODE",
            defaultValue = "auto",
            description = {
                "Serve pipelines a Kubernetes API of the platform on 127.0.0.1 (Kratix SDKs' publish_status,",
                "kubectl get, clients creating requests): 'on', 'off', or 'auto' = on unless --pipeline-network",
                "none, or, with --runner kubernetes, $KBR_POD_IP (kbr's Pod address, where it then listens) is",
                "unset (default: ${DEFAULT-VALUE}). Docker pipeline containers join the host's network to reach",
                "it; see docs/platform-api.md for what that allows."
            })
    String platformApi;

    @Option(
            names = "--pipeline-timeout",
            paramLabel = "DURATION",
            defaultValue = "10m",
            converter = DurationConverter.class,
            description = "Longest a single pipeline may run, e.g. 90s, 10m, 1h (default: ${DEFAULT-VALUE}).")
    Duration pipelineTimeout;

    @Option(
            names = "--image-mirror",
            paramLabel = "FROM=TO",
            converter = MirrorConverter.class,
            description = {
                "Run images whose reference starts with FROM from TO instead, e.g. docker.io=mirror.example.com/hub.",
                "FROM matches a whole name or a prefix followed by /, : or @ (docker.io/lib does not match",
                "docker.io/library/x); the longest FROM wins. Repeatable. Only the images run change: the",
                "workflow cache keys on the Promise's own references, so changing a mirror re-runs nothing."
            })
    List<ImageMirrors.Mirror> imageMirrors = new ArrayList<>();

    /**
     * The {@code --image-mirror} rewrites.
     *
     * @throws IllegalArgumentException when one FROM is given twice
     */
    ImageMirrors mirrors() {
        return ImageMirrors.parse(
                imageMirrors.stream().map(m -> m.from() + "=" + m.to()).toList());
    }

    /** Parses {@code FROM=TO}, so a malformed value is a usage error naming the option. */
    static final class MirrorConverter implements CommandLine.ITypeConverter<ImageMirrors.Mirror> {
        @Override
        public ImageMirrors.Mirror convert(String value) {
            try {
                return ImageMirrors.Mirror.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
