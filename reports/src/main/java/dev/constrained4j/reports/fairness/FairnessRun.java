package dev.constrained4j.reports.fairness;

import dev.constrained4j.reports.record.MetricsTable;
import dev.constrained4j.reports.record.ReportHints;
import dev.constrained4j.reports.record.RunFolder;
import dev.constrained4j.reports.summary.ModeSet;
import dev.constrained4j.reports.summary.ModeStats;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A fairness run folder read by method and seed: the modes {@code <method>-s<seed>} of each method
 * of {@link ReportHints.Fairness#methods()}, their values at their last epochs, and per-epoch means
 * over seeds. Every column the report uses is checked when the run is opened, so that a missing
 * column or a malformed cell fails at once, naming {@code metrics.csv} and the column.
 */
final class FairnessRun {

    /** The training split, drawn solid. */
    static final String TRAIN = "train";
    /** The evaluation split, drawn dashed. */
    static final String TEST = "test";
    /** The splits of every gap and metric the report shows. */
    static final List<String> SPLITS = List.of(TRAIN, TEST);

    private final RunFolder run;
    private final ReportHints.Fairness hints;
    private final Map<String, ModeSet> modes = new LinkedHashMap<>();

    /**
     * @param run      a run whose report hints are of kind {@value ReportHints#FAIRNESS}
     * @param warnings where modes that belong to no method are reported
     * @throws dev.constrained4j.reports.ReportException if a column the report uses is missing from
     *                                                   {@code metrics.csv} or holds a cell that is not a number
     */
    FairnessRun(RunFolder run, List<String> warnings) {
        this.run = run;
        this.hints = run.record().hints().fairness();
        if (hints == null) {
            throw new IllegalArgumentException(run.record().runId() + " is not a fairness run");
        }
        MetricsTable metrics = run.metrics();
        for (FinalMetric metric : FinalMetric.values()) {
            metrics.requireNumeric(metric.column());
        }
        for (String split : SPLITS) {
            for (String group : hints.groupColumns()) {
                metrics.requireNumeric(gapColumn(split, group));
            }
        }
        Set<String> unassigned = new LinkedHashSet<>(run.record().modes());
        unassigned.addAll(metrics.modes());
        unassigned.remove(MetricsTable.WARM);
        for (String method : hints.methods()) {
            Pattern seedMode = Pattern.compile(Pattern.quote(method) + "-s\\d+");
            List<String> own = unassigned.stream().filter(m -> seedMode.matcher(m).matches()).toList();
            unassigned.removeAll(own);
            modes.put(method, new ModeSet(metrics, own));
        }
        for (String mode : unassigned) {
            warnings.add(run.record().runId() + ": mode '" + mode + "' is not <method>-s<seed> of a method in "
                    + "report.methods " + hints.methods() + ", left out");
        }
    }

    /**
     * @param split       {@code train} or {@code test}
     * @param groupColumn a group's column slug
     * @return the column of that group's gap {@code PR_g − PR}
     */
    static String gapColumn(String split, String groupColumn) {
        return split + "_gap_" + groupColumn;
    }

    RunFolder run() {
        return run;
    }

    ReportHints.Fairness hints() {
        return hints;
    }

    /**
     * @param method a method of the hints
     * @return its modes that have rows, in run order
     */
    List<String> modesOf(String method) {
        return group(method).modes();
    }

    /**
     * @param method a method of the hints
     * @return its modes with rows
     */
    ModeSet group(String method) {
        ModeSet group = modes.get(method);
        return group == null ? new ModeSet(run.metrics(), List.of()) : group;
    }

    /** @return one summary per method, in the hints' order, each over its modes' last epochs */
    List<MethodSummary> summaries() {
        List<MethodSummary> out = new ArrayList<>();
        for (String method : hints.methods()) {
            ModeSet group = group(method);
            Map<FinalMetric, ModeStats> stats = new EnumMap<>(FinalMetric.class);
            for (FinalMetric metric : FinalMetric.values()) {
                stats.put(metric, group.last(metric.column()));
            }
            Verdict verdict = Verdict.of(ModeSet.present(group.lastValues(FinalMetric.TEST_MAX_VIOLATION.column())));
            out.add(new MethodSummary(method, hints.label(method), group.modes(), group.lastEpochs(), stats, verdict));
        }
        return out;
    }

    /**
     * @param method a method of the hints
     * @param column a metric column
     * @return its mean over the method's seeds at every epoch that one of them reached
     */
    ModeSet.Curve mean(String method, String column) {
        return group(method).mean(column);
    }
}
