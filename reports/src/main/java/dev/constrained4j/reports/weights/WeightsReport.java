package dev.constrained4j.reports.weights;

import dev.constrained4j.reports.chart.LineChart;
import dev.constrained4j.reports.record.MetricsTable;
import dev.constrained4j.reports.record.ReportHints;
import dev.constrained4j.reports.record.RunFolder;
import dev.constrained4j.reports.summary.CsvText;
import dev.constrained4j.reports.summary.ModeSet;
import dev.constrained4j.reports.summary.ModeStats;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the page shows of one weight-constraint run ({@code "kind": "weights"} in {@code run.json}'s
 * {@code report}): seed 002's Table 1, one {@link WeightsGroup} per dataset and constraint set with a
 * {@link WeightsRow} per method over its modes' last epochs (seeds × settings together), the same
 * table as CSV, and the curves of {@link WeightsCharts}.
 *
 * @param run    the run
 * @param groups the groups that have modes in {@code report.modes}, datasets outer, constraint sets inner
 * @param charts per group, the test accuracy and the CV_{p=2} of every method per epoch
 */
public record WeightsReport(RunFolder run, List<WeightsGroup> groups, List<LineChart> charts) {

    /** Copies the lists. */
    public WeightsReport {
        groups = List.copyOf(groups);
        charts = List.copyOf(charts);
    }

    /**
     * Reads a weights run's table and curves.
     *
     * @param run      a run whose hints are of kind {@value ReportHints#WEIGHTS}
     * @param prefix   prepended to every chart id (empty for a single run)
     * @param warnings where problems that do not stop the report go (modes missing from {@code report.modes})
     * @return the report
     * @throws dev.constrained4j.reports.ReportException if a column the report uses is missing from
     *                                                   {@code metrics.csv} or has a cell that is not a number
     */
    public static WeightsReport of(RunFolder run, String prefix, List<String> warnings) {
        ReportHints.Weights hints = run.record().hints().weights();
        if (hints == null) {
            throw new IllegalArgumentException(run.record().runId() + " is not a weights run");
        }
        MetricsTable metrics = run.metrics();
        for (WeightsMetric metric : WeightsMetric.values()) {
            metrics.requireNumeric(metric.source());
        }
        for (String mode : run.plottedModes()) {
            if (!hints.modes().containsKey(mode)) {
                warnings.add(run.record().runId() + ": mode '" + mode + "' is not in report.modes, left out");
            }
        }
        List<WeightsGroup> groups = new ArrayList<>();
        List<LineChart> charts = new ArrayList<>();
        for (String dataset : hints.datasets()) {
            for (String constraintSet : hints.constraintSets()) {
                List<String> methods = hints.methods().stream()
                        .filter(m -> !hints.modesOf(dataset, constraintSet, m).isEmpty()).toList();
                if (methods.isEmpty()) {
                    continue;
                }
                List<ModeSet> sets = new ArrayList<>();
                List<WeightsRow> rows = new ArrayList<>();
                for (String method : hints.methods()) {
                    ModeSet set = new ModeSet(metrics, hints.modesOf(dataset, constraintSet, method));
                    sets.add(set);
                    rows.add(row(hints, dataset, constraintSet, method, set));
                }
                WeightsGroup group = new WeightsGroup(dataset, ReportHints.label(hints.datasetLabels(), dataset),
                        constraintSet, ReportHints.label(hints.constraintSetLabels(), constraintSet), markBest(rows));
                groups.add(group);
                charts.addAll(WeightsCharts.of(group, sets, prefix));
            }
        }
        return new WeightsReport(run, groups, charts);
    }

    private static WeightsRow row(ReportHints.Weights hints, String dataset, String constraintSet, String method,
                                  ModeSet set) {
        Map<WeightsMetric, ModeStats> stats = new EnumMap<>(WeightsMetric.class);
        for (WeightsMetric metric : WeightsMetric.values()) {
            stats.put(metric, metric == WeightsMetric.SECONDS_PER_EPOCH ? perEpoch(set, metric.source())
                    : set.last(metric.source()));
        }
        return new WeightsRow(method, ReportHints.label(hints.methodLabels(), method), set.modes(), set.lastEpochs(),
                stats, Set.of(), hints.paper(dataset, constraintSet, method));
    }

    /** @return the statistics of each mode's last value divided by its epochs (last epoch + 1) */
    private static ModeStats perEpoch(ModeSet set, String column) {
        List<Double> last = set.lastValues(column);
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < last.size(); i++) {
            if (last.get(i) != null) {
                out.add(last.get(i) / (set.lastEpochs().get(i) + 1));
            }
        }
        return ModeStats.of(out);
    }

    /** @return the rows, each with the metrics in which its mean is the group's best (all of a tie) */
    private static List<WeightsRow> markBest(List<WeightsRow> rows) {
        Map<WeightsRow, Set<WeightsMetric>> best = new IdentityHashMap<>();
        rows.forEach(r -> best.put(r, EnumSet.noneOf(WeightsMetric.class)));
        for (WeightsMetric metric : WeightsMetric.values()) {
            if (metric.best() == WeightsMetric.Best.NONE) {
                continue;
            }
            double sign = metric.best() == WeightsMetric.Best.LOWEST ? 1 : -1;
            double top = rows.stream().map(r -> r.stat(metric)).filter(s -> s.hasMean() && Double.isFinite(s.mean()))
                    .mapToDouble(s -> sign * s.mean()).min().orElse(Double.NaN);
            for (WeightsRow r : rows) {
                ModeStats s = r.stat(metric);
                if (s.hasMean() && sign * s.mean() == top) {
                    best.get(r).add(metric);
                }
            }
        }
        return rows.stream().map(r -> r.withBest(best.get(r))).toList();
    }

    /** @return the weights hints of the run */
    public ReportHints.Weights hints() {
        return run.record().hints().weights();
    }

    /**
     * The table as CSV, one row per (dataset, constraint set, method): {@code dataset, dataset_label,
     * constraint_set, constraint_set_label, method, method_label, n, last_epoch_min, last_epoch_max},
     * then {@code <metric>_mean, <metric>_sd} for every {@link WeightsMetric} (empty where there is no
     * value, and the sd for one mode), then {@code best} (the bold metrics, separated by {@code ;}) and
     * the published {@code paper_cv_rel, paper_cv_2, paper_test_acc} as printed (empty without a row).
     * Numbers are written in full precision.
     *
     * @return the CSV text, lines ended by {@code \n}
     */
    public String csv() {
        List<WeightsMetric> published = List.of(WeightsMetric.CV_REL, WeightsMetric.CV_2, WeightsMetric.TEST_ACC);
        StringBuilder csv = new StringBuilder("dataset,dataset_label,constraint_set,constraint_set_label,method,"
                + "method_label,n,last_epoch_min,last_epoch_max");
        for (WeightsMetric metric : WeightsMetric.values()) {
            csv.append(',').append(metric.column()).append("_mean,").append(metric.column()).append("_sd");
        }
        csv.append(",best");
        published.forEach(m -> csv.append(",paper_").append(m.column()));
        csv.append('\n');
        for (WeightsGroup g : groups) {
            for (WeightsRow r : g.rows()) {
                csv.append(CsvText.cell(g.dataset())).append(',').append(CsvText.cell(g.datasetLabel())).append(',')
                        .append(CsvText.cell(g.constraintSet())).append(',').append(CsvText.cell(g.constraintSetLabel()))
                        .append(',').append(CsvText.cell(r.method())).append(',').append(CsvText.cell(r.label()))
                        .append(',').append(r.modes().size()).append(',')
                        .append(r.lastEpochs().stream().min(Integer::compare).map(String::valueOf).orElse("")).append(',')
                        .append(r.lastEpochs().stream().max(Integer::compare).map(String::valueOf).orElse(""));
                for (WeightsMetric metric : WeightsMetric.values()) {
                    csv.append(',').append(CsvText.meanAndSd(r.stat(metric)));
                }
                csv.append(',').append(String.join(";", r.best().stream().map(WeightsMetric::column).toList()));
                for (WeightsMetric metric : published) {
                    csv.append(',').append(CsvText.cell(r.paper().map(metric::paper).orElse("")));
                }
                csv.append('\n');
            }
        }
        return csv.toString();
    }
}
