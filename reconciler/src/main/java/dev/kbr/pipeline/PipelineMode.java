package dev.kbr.pipeline;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Whether a pipeline's run may have effects beyond its output, told to its containers through
 * {@code KRATIX_DRY_RUN} (Kratix {@code api/v1alpha1/pipeline_types.go} {@code
 * KratixDryRunEnvVar}, set in {@code pipeline_factory.go} {@code defaultEnvVars} only when the run
 * is a dry run, and then to {@code "true"}). A pipeline can read it to skip side effects (creating
 * cloud resources, calling external APIs) whose results are not meant to be kept.
 *
 * <p>Carried as a value in every invocation, chosen once by the command: {@code kbr apply} runs
 * {@link #LIVE}, {@code kbr plan} and {@code kbr render} run {@link #DRY_RUN}.
 */
public enum PipelineMode {
    /** The run's outputs are committed: no {@code KRATIX_DRY_RUN}, as Kratix on a normal request. */
    LIVE,
    /** The run's outputs are only shown: {@code KRATIX_DRY_RUN=true}. */
    DRY_RUN;

    /** The variable's name. */
    public static final String DRY_RUN_VARIABLE = "KRATIX_DRY_RUN";

    /** The variables this mode adds to every user container: none, or {@code KRATIX_DRY_RUN=true}. */
    public SortedMap<String, String> environment() {
        SortedMap<String, String> env = new TreeMap<>();
        if (this == DRY_RUN) {
            env.put(DRY_RUN_VARIABLE, "true");
        }
        return Collections.unmodifiableSortedMap(env);
    }
}
