package dev.kbr.engine;

import dev.kbr.load.PlatformLoader;
import dev.kbr.load.YamlDocument;
import dev.kbr.load.YamlReader;
import dev.kbr.model.Diagnostic;
import dev.kbr.model.ObjectKey;
import dev.kbr.model.Platform;
import dev.kbr.model.ResourceRequest;
import dev.kbr.model.WorkId;
import dev.kbr.report.PassError;
import dev.kbr.state.GroupRecord;
import dev.kbr.state.RecordedWorkload;
import dev.kbr.state.WorkRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The resource requests a compound Promise's pipelines produced: read from a pipeline's output
 * when it runs, or from the Works it recorded when it is cached (so its sub-requests are still
 * reconciled, as Kratix keeps reconciling the requests a pipeline applied).
 */
final class RecordedOutputs {
    private RecordedOutputs() {}

    /**
     * The requests in a cached request's recorded Works.
     *
     * @param platform the platform whose Promises the requests must be of
     * @param stores the stores whose records and snapshots hold the Works
     * @param works the request's recorded Works
     * @param description how messages name the request
     * @param log where unreadable outputs are reported (errors) and bad requests (diagnostics)
     */
    static List<ResourceRequest> subRequests(
            Platform platform, StoresRead stores, List<WorkId> works, String description, PassLog log) {
        List<ResourceRequest> found = new ArrayList<>();
        Set<ObjectKey> seen = new HashSet<>();
        for (StoreContext ctx : stores.stores().values()) {
            for (WorkId id : works) {
                WorkRecord record = ctx.records().works().get(id);
                if (record == null) {
                    continue;
                }
                for (GroupRecord group : record.groups()) {
                    for (RecordedWorkload workload : group.workloads()) {
                        if (!workload.filepath().endsWith(".yaml")
                                && !workload.filepath().endsWith(".yml")) {
                            continue;
                        }
                        byte[] bytes;
                        try {
                            bytes = workload.content().isPresent()
                                    ? workload.content().get()
                                    : ctx.snapshot().readContent(workload.contentId());
                        } catch (IOException e) {
                            log.error(
                                    PassError.Area.RECORDED_OUTPUT,
                                    description,
                                    "Tried to read the recorded output " + workload.filepath() + " of " + description
                                            + " from state store " + ctx.name() + ": " + e.getMessage());
                            continue;
                        }
                        if (!PlatformLoader.mayHoldRequests(platform, bytes)) {
                            continue;
                        }
                        YamlReader.Result read = YamlReader.read(
                                "recorded output of " + description + ": " + workload.filepath(), bytes);
                        for (YamlDocument doc : read.documents()) {
                            PlatformLoader.asRequest(platform, doc, log.diagnostics)
                                    .filter(r -> seen.add(ObjectKey.request(r.promiseName(), r.namespace(), r.name())))
                                    .ifPresent(found::add);
                        }
                    }
                }
            }
        }
        return found;
    }

    /**
     * The requests in a pipeline's output files (only {@code .yaml} and {@code .yml} files are
     * read).
     *
     * @param source how messages name the output, e.g. {@code output of redis/default/x
     *     resource.configure p}
     */
    static List<ResourceRequest> requestsIn(
            Platform platform, Map<String, byte[]> files, String source, List<Diagnostic> diagnostics) {
        List<ResourceRequest> found = new ArrayList<>();
        for (var file : files.entrySet()) {
            String path = file.getKey();
            if (!path.endsWith(".yaml") && !path.endsWith(".yml")) {
                continue;
            }
            YamlReader.Result read = YamlReader.read(source + ": " + path, file.getValue());
            for (YamlDocument doc : read.documents()) {
                PlatformLoader.asRequest(platform, doc, diagnostics).ifPresent(found::add);
            }
        }
        return found;
    }
}
