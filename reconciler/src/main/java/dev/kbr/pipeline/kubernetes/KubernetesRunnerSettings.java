package dev.kbr.pipeline.kubernetes;

import dev.kbr.pipeline.TarTrees;
import io.fabric8.kubernetes.client.Config;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link KubernetesPipelineRunner} places and watches pipeline Pods.
 *
 * @param namespace where pipeline Pods (and their per-run ConfigMap and Secret) are created
 * @param helperImage image of kbr's own containers in each Pod ({@code reader}, which copies
 *     {@code object.yaml} into {@code /kratix/input}, and {@code kbr-outputs}, which keeps the Pod
 *     alive until kbr has copied the outputs out); needs {@code cp}, {@code sleep} and {@code tar}
 *     on its {@code PATH} and must run as user 65534
 * @param ownerPod {@code <namespace>/<name>} of the Pod kbr itself runs in, when it runs in one;
 *     written on pipeline Pods so that a later run can tell whether their owner is gone
 * @param maxLogBytes how many bytes of each container's log to keep, the tail being kept
 * @param outputLimits size limits on {@code /kratix/output} and {@code /kratix/metadata}
 *     together
 * @param pollInterval how often the Pod's status is read while its init containers run
 */
public record KubernetesRunnerSettings(
        String namespace,
        String helperImage,
        Optional<String> ownerPod,
        int maxLogBytes,
        TarTrees.Limits outputLimits,
        Duration pollInterval) {
    /**
     * The default helper image: busybox has {@code cp}, {@code sleep} and {@code tar}, is on
     * Docker Hub and is small (about 2 MB).
     */
    public static final String DEFAULT_HELPER_IMAGE = "busybox:1.37.0";

    /** The default log cap: 1 MiB per container, as for the Docker runner. */
    public static final int DEFAULT_MAX_LOG_BYTES = 1024 * 1024;

    /** The default interval between two reads of a running Pod's status. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);

    public KubernetesRunnerSettings {
        Objects.requireNonNull(namespace, "namespace");
        if (namespace.isBlank()) {
            throw new IllegalArgumentException("namespace must not be blank");
        }
        Objects.requireNonNull(helperImage, "helperImage");
        if (helperImage.isBlank()) {
            throw new IllegalArgumentException("helperImage must not be blank");
        }
        Objects.requireNonNull(ownerPod, "ownerPod");
        if (maxLogBytes < 0) {
            throw new IllegalArgumentException("maxLogBytes must not be negative: " + maxLogBytes);
        }
        Objects.requireNonNull(outputLimits, "outputLimits");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive: " + pollInterval);
        }
    }

    /**
     * The defaults in a namespace: {@link #DEFAULT_HELPER_IMAGE}, no owner Pod, 1 MiB of log per
     * container, default output limits, status read every 500 ms.
     */
    public static KubernetesRunnerSettings defaults(String namespace) {
        return new KubernetesRunnerSettings(
                namespace,
                DEFAULT_HELPER_IMAGE,
                Optional.empty(),
                DEFAULT_MAX_LOG_BYTES,
                TarTrees.Limits.defaults(),
                DEFAULT_POLL_INTERVAL);
    }

    /**
     * The namespace of the current kubeconfig context ({@code $KUBECONFIG} or {@code
     * ~/.kube/config}), as kubectl would use it.
     *
     * @return that namespace, else {@code default}; never fails
     */
    public static String kubeconfigNamespace() {
        try {
            String namespace = Config.autoConfigure(null).getNamespace();
            return namespace == null || namespace.isBlank() ? "default" : namespace;
        } catch (RuntimeException e) {
            return "default";
        }
    }

    /** These settings with another helper image. */
    public KubernetesRunnerSettings withHelperImage(String image) {
        return new KubernetesRunnerSettings(namespace, image, ownerPod, maxLogBytes, outputLimits, pollInterval);
    }

    /** These settings naming the Pod kbr runs in, as {@code <namespace>/<name>}. */
    public KubernetesRunnerSettings withOwnerPod(String pod) {
        return new KubernetesRunnerSettings(
                namespace, helperImage, Optional.of(pod), maxLogBytes, outputLimits, pollInterval);
    }

    /** These settings with another log cap, in bytes. */
    public KubernetesRunnerSettings withMaxLogBytes(int bytes) {
        return new KubernetesRunnerSettings(namespace, helperImage, ownerPod, bytes, outputLimits, pollInterval);
    }

    /** These settings with other output limits. */
    public KubernetesRunnerSettings withOutputLimits(TarTrees.Limits limits) {
        return new KubernetesRunnerSettings(namespace, helperImage, ownerPod, maxLogBytes, limits, pollInterval);
    }

    /** These settings with another status poll interval. */
    public KubernetesRunnerSettings withPollInterval(Duration interval) {
        return new KubernetesRunnerSettings(namespace, helperImage, ownerPod, maxLogBytes, outputLimits, interval);
    }
}
