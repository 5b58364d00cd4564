package dev.kbr.schedule;

import dev.kbr.model.Selector;
import dev.kbr.model.WorkflowType;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Splits a pipeline's output into workload groups, as Kratix's work-writer does ({@code
 * work-creator/lib/work_creator.go}).
 */
public final class WorkloadGroups {
    private WorkloadGroups() {}

    /**
     * Builds the groups of one pipeline's output.
     *
     * <p>Each {@code destination-selectors.yaml} entry with a directory makes a group of the
     * files under that directory, selected only by that entry (the Promise's selectors are not
     * added). The remaining files form the default group, selected by the root entry (if any)
     * and the Promise's {@code destinationSelectors}, squashed. Directory groups come first.
     *
     * @param output files by path relative to {@code /kratix/output}
     * @param entries the pipeline's {@code destination-selectors.yaml} entries, checked
     * @param promiseSelectors the Promise's {@code spec.destinationSelectors}
     * @param type whose workflow produced the output
     * @return the groups; no default group when no file is left for it
     * @throws IllegalArgumentException when an entry names a directory the output lacks
     */
    public static List<WorkloadGroup> build(
            SortedMap<String, byte[]> output,
            List<DestinationSelectorsFile.Entry> entries,
            List<Selector> promiseSelectors,
            WorkflowType type) {
        SelectorSource workflowSource =
                type == WorkflowType.PROMISE ? SelectorSource.PROMISE_WORKFLOW : SelectorSource.RESOURCE_WORKFLOW;
        SortedMap<String, byte[]> remaining = new TreeMap<>(output);
        List<WorkloadGroup> groups = new ArrayList<>();
        Selector root = null;
        for (DestinationSelectorsFile.Entry entry : entries) {
            if (entry.directory().equals(WorkloadGroup.DEFAULT_DIRECTORY)) {
                root = entry.selector();
                continue;
            }
            String prefix = entry.directory() + "/";
            SortedMap<String, byte[]> files = new TreeMap<>(remaining.subMap(prefix, prefix + Character.MAX_VALUE));
            if (files.isEmpty()) {
                throw new IllegalArgumentException("destination-selectors.yaml names directory \"" + entry.directory()
                        + "\" but /kratix/output has no such directory");
            }
            files.keySet().forEach(remaining::remove);
            groups.add(new WorkloadGroup(
                    entry.directory(), files, List.of(new SourcedSelector(entry.selector(), workflowSource))));
        }
        if (!remaining.isEmpty()) {
            List<SourcedSelector> selectors = new ArrayList<>();
            if (root != null) {
                selectors.add(new SourcedSelector(root, workflowSource));
            }
            if (!promiseSelectors.isEmpty()) {
                selectors.add(new SourcedSelector(squash(promiseSelectors), SelectorSource.PROMISE));
            }
            groups.add(new WorkloadGroup(WorkloadGroup.DEFAULT_DIRECTORY, remaining, selectors));
        }
        return groups;
    }

    /**
     * The single group of a Promise's static dependencies: {@code static/<promise>-dependencies.yaml},
     * selected by the Promise's squashed selectors (Kratix {@code NewPromiseDependenciesWork}).
     */
    public static WorkloadGroup staticDependencies(String promise, byte[] content, List<Selector> promiseSelectors) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        files.put("static/" + promise + "-dependencies.yaml", content);
        List<SourcedSelector> selectors = promiseSelectors.isEmpty()
                ? List.of()
                : List.of(new SourcedSelector(squash(promiseSelectors), SelectorSource.PROMISE));
        return new WorkloadGroup(WorkloadGroup.DEFAULT_DIRECTORY, files, selectors);
    }

    /** Union of selectors; on a key conflict the earlier selector wins (Kratix squashing). */
    public static Selector squash(List<Selector> selectors) {
        TreeMap<String, String> labels = new TreeMap<>();
        for (Selector s : selectors) {
            s.matchLabels().forEach(labels::putIfAbsent);
        }
        return new Selector(labels);
    }

    /**
     * The selector a group is scheduled with: all its selectors merged, later sources
     * overwriting earlier ones (resource-workflow &lt; promise-workflow &lt; promise), so the
     * Promise's own selectors win on conflicts ({@code internal/controller/scheduler.go}).
     */
    public static Selector resolve(WorkloadGroup group) {
        TreeMap<String, String> labels = new TreeMap<>();
        for (SelectorSource source : SelectorSource.values()) {
            for (SourcedSelector s : group.selectors()) {
                if (s.source() == source) {
                    labels.putAll(s.selector().matchLabels());
                }
            }
        }
        return new Selector(labels);
    }
}
