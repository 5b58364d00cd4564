package dev.kbr.pipeline.docker;

import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.kbr.model.Container;
import dev.kbr.pipeline.RuntimeInterrupts;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The images of one runner's pipeline containers: present in the engine, or pulled as each
 * container's {@code imagePullPolicy} allows ({@code Always}; {@code IfNotPresent} or unset when
 * absent; never for {@code Never}), as the kubelet does. Images found usable during the runner's
 * life (one pass) are remembered by reference, so a pass asks the engine about each image once,
 * not once per container. Thread-safe.
 */
final class DockerImages {
    private final DockerPipelineRunner runner;
    private final ConcurrentMap<String, InspectImageResponse> usable = new ConcurrentHashMap<>();

    DockerImages(DockerPipelineRunner runner) {
        this.runner = runner;
    }

    /** Whether a container's image can be used. */
    sealed interface Check {
        /**
         * The image is present.
         *
         * @param user its {@code USER} as numeric ids
         * @param written its {@code USER} as written, empty for none
         */
        record Usable(ImageUser user, String written) implements Check {}

        /** The image cannot be used; the reason is worded for the pipeline's author. */
        record Unusable(String reason) implements Check {}
    }

    /**
     * Makes sure the container's image is present, pulling it as its pull policy allows. An image
     * found usable earlier in the pass is not asked about again, except under {@code Always},
     * which pulls for every container as the kubelet does for every Pod.
     *
     * @param subject how messages name the container
     * @param remainingNanos the time left for the pipeline, for pulls
     * @param timedOut the pipeline's timeout message, {@code "timed out after …"}
     * @throws IOException when the engine fails an inspection
     * @throws InterruptedException when interrupted meanwhile
     */
    Check ensure(Container container, String subject, LongSupplier remainingNanos, Supplier<String> timedOut)
            throws IOException, InterruptedException {
        String policy = container.imagePullPolicy().orElse("IfNotPresent");
        String image = container.image();
        if (!List.of("Always", "IfNotPresent", "Never").contains(policy)) {
            return new Check.Unusable("imagePullPolicy `" + policy + "` of image " + image
                    + " is not one of Always, IfNotPresent, Never");
        }
        InspectImageResponse known = usable.get(image);
        if (known != null && !policy.equals("Always")) {
            return usable(known);
        }
        String buildIt = "build or load it locally (docker build -t " + image + " … or docker load)";
        Optional<InspectImageResponse> inspected = policy.equals("Always") ? Optional.empty() : inspect(image, subject);
        if (inspected.isEmpty() && !policy.equals("Never")) {
            Optional<String> failure = pull(image, remainingNanos, timedOut);
            if (failure.isPresent()) {
                return new Check.Unusable("image " + image + " could not be pulled (" + failure.get() + "); " + buildIt
                        + " and set imagePullPolicy to IfNotPresent or Never");
            }
            inspected = inspect(image, subject);
        }
        if (inspected.isPresent()) {
            usable.put(image, inspected.get());
            return usable(inspected.get());
        }
        return new Check.Unusable("image " + image + " is not present in the Docker engine"
                + (policy.equals("Never") ? " and its imagePullPolicy is Never" : "") + "; " + buildIt);
    }

    private static Check usable(InspectImageResponse image) {
        String user = image.getConfig() == null || image.getConfig().getUser() == null
                ? ""
                : image.getConfig().getUser();
        return new Check.Usable(ImageUser.parse(user), user);
    }

    private Optional<InspectImageResponse> inspect(String image, String subject)
            throws IOException, InterruptedException {
        try {
            return Optional.of(runner.engine(
                    "Tried to inspect the image of " + subject,
                    () -> runner.client().inspectImageCmd(image).exec()));
        } catch (IOException e) {
            if (e.getCause() instanceof NotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Pulls the image; a failure (including running out of time) is returned, not thrown. */
    private Optional<String> pull(String image, LongSupplier remainingNanos, Supplier<String> timedOut)
            throws InterruptedException {
        PullImageResultCallback callback = new PullImageResultCallback();
        try {
            runner.client()
                    .pullImageCmd(DockerPipelineRunner.withDefaultTag(image))
                    .exec(callback);
            // Also throws the first error the engine streamed back, or one for a pull
            // that ended without success.
            boolean done = callback.awaitCompletion(Math.max(0, remainingNanos.getAsLong()), TimeUnit.NANOSECONDS);
            return done ? Optional.empty() : Optional.of(timedOut.get() + " while pulling");
        } catch (RuntimeException e) {
            RuntimeInterrupts.throwIfInterrupted(e, "Docker");
            return Optional.of(
                    remainingNanos.getAsLong() <= 0
                            ? timedOut.get() + " while pulling"
                            : DockerPipelineRunner.describe(e));
        } finally {
            DockerPipelineRunner.closeQuietly(callback);
        }
    }
}
