package dev.kbr.execute;

import dev.kbr.model.Container;
import dev.kbr.model.EnvVar;
import dev.kbr.model.Pipeline;
import dev.kbr.model.Volume;
import dev.kbr.model.VolumeSource;
import dev.kbr.pipeline.PipelineResult;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Takes every Secret value a pipeline was given out of what its run printed, before any report,
 * log line or saved plan can show it: the values of variables from {@code secretKeyRef} and
 * {@code envFrom[].secretRef}, and the content of files a Secret filled in its {@code secret} and
 * {@code projected} volumes. Kubernetes does not do this (a Pod's log is its own); kbr does it
 * because its reports go to CI logs and pull-request comments, which many more people read.
 *
 * <p>A value counts without its surrounding blanks, as {@code echo $VAR} and {@code cat FILE}
 * print it; a value of several lines is also taken out line by line, so a log cut in the middle
 * of a printed key still shows none of it. Longer values go first, so a value that contains
 * another is replaced whole. Blank values are left alone. A short value is replaced wherever it
 * occurs, even inside unrelated words: a Secret should not be guessable from the rest of a log.
 */
public final class SecretRedaction {
    private SecretRedaction() {}

    /**
     * @param result how the pipeline ended
     * @param pipeline the pipeline as it ran: variables and volumes resolved ({@link
     *     VariableResolver}, {@link VolumeResolver})
     * @return the result with each Secret value in its logs and failure reason replaced by {@code
     *     <Secret CONTAINER env NAME>} or {@code <Secret in volume VOLUME: PATH>}
     */
    public static PipelineResult redacting(PipelineResult result, Pipeline pipeline) {
        Map<String, String> replacements = new LinkedHashMap<>();
        for (Container container : pipeline.containers()) {
            for (EnvVar variable : container.env()) {
                if (variable.secretKeyRef().isPresent()) {
                    add(
                            replacements,
                            variable.value(),
                            "<Secret " + container.name() + " env " + variable.name() + ">");
                }
            }
        }
        for (Volume volume : pipeline.volumes()) {
            if (volume.source() instanceof VolumeSource.Files files) {
                files.files().forEach((path, file) -> {
                    if (file.secret()) {
                        add(
                                replacements,
                                new String(file.content(), StandardCharsets.UTF_8),
                                "<Secret in volume " + volume.name() + ": " + path + ">");
                    }
                });
            }
        }
        PipelineResult redacted = result;
        for (var value : replacements.entrySet().stream()
                .sorted(Comparator.comparing(
                                (Map.Entry<String, String> e) -> e.getKey().length())
                        .reversed()
                        .thenComparing(Map.Entry::getKey))
                .toList()) {
            redacted = redacted.redacting(value.getKey(), value.getValue());
        }
        return redacted;
    }

    /** The value, and each of its lines when it has several; the first name given a value keeps it. */
    private static void add(Map<String, String> replacements, String value, String replacement) {
        String whole = value.strip();
        if (whole.isEmpty()) {
            return;
        }
        replacements.putIfAbsent(whole, replacement);
        if (whole.contains("\n")) {
            whole.lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty())
                    .forEach(line -> replacements.putIfAbsent(line, replacement));
        }
    }
}
