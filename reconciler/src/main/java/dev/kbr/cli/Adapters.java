package dev.kbr.cli;

import dev.kbr.model.GitStateStore;
import dev.kbr.pipeline.PipelineRunner;
import dev.kbr.pipeline.docker.DockerPipelineRunner;
import dev.kbr.pipeline.docker.DockerRunnerSettings;
import dev.kbr.state.StateStore;
import dev.kbr.state.git.GitRepoStateStore;
import dev.kbr.state.git.GitStoreSettings;
import java.io.IOException;

/** The composition root: the only place that constructs adapters. */
final class Adapters {
    private Adapters() {}

    /** The Docker runner, configured from the command line. */
    static PipelineRunner pipelineRunner(PassOptionsMixin options) throws IOException {
        DockerRunnerSettings settings = DockerRunnerSettings.defaults().withNetworkMode(options.pipelineNetwork);
        if (options.dockerHost != null) {
            settings = settings.withDockerHost(options.dockerHost);
        }
        return DockerPipelineRunner.connect(settings);
    }

    /** Opens a GitStateStore (URL overrides already applied). */
    static StateStore openStateStore(GitStateStore store) throws IOException {
        return GitRepoStateStore.open(GitStoreSettings.from(store));
    }
}
