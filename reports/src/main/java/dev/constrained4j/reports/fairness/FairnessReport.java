package dev.constrained4j.reports.fairness;

import dev.constrained4j.reports.chart.LineChart;
import dev.constrained4j.reports.record.ReportHints;
import dev.constrained4j.reports.record.RunFolder;
import dev.constrained4j.reports.summary.CsvText;

import java.util.List;

/**
 * What the page shows of one fairness run ({@code "kind": "fairness"} in {@code run.json}'s
 * {@code report}): the final table, one {@link MethodSummary} per method over its seeds' last
 * epochs, the same table as CSV, and the curves of {@link FairnessCharts}.
 *
 * @param run     the run
 * @param methods one row per method, in the order of {@code report.methods}
 * @param charts  the loss chart, then one chart of the group gaps per method
 */
public record FairnessReport(RunFolder run, List<MethodSummary> methods, List<LineChart> charts) {

    /** Copies the lists. */
    public FairnessReport {
        methods = List.copyOf(methods);
        charts = List.copyOf(charts);
    }

    /**
     * Reads a fairness run's table and curves.
     *
     * @param run      a run whose hints are of kind {@value ReportHints#FAIRNESS}
     * @param prefix   prepended to every chart id (empty for a single run)
     * @param warnings where problems that do not stop the report go (modes of no method)
     * @return the report
     * @throws dev.constrained4j.reports.ReportException if a column the report uses is missing from
     *                                                   {@code metrics.csv} or has a cell that is not a number
     */
    public static FairnessReport of(RunFolder run, String prefix, List<String> warnings) {
        FairnessRun fairness = new FairnessRun(run, warnings);
        return new FairnessReport(run, fairness.summaries(), FairnessCharts.of(fairness, prefix));
    }

    /** @return the fairness hints of the run */
    public ReportHints.Fairness hints() {
        return run.record().hints().fairness();
    }

    /**
     * The final table as CSV, one row per method: {@code method, label, seeds, last_epoch_min,
     * last_epoch_max} (over its seeds), then
     * {@code <metric>_mean, <metric>_sd} for every {@link FinalMetric} (empty where there is no value,
     * and the sd for one seed), then {@code within_bound, seeds_exceeding, mean_excess}. Numbers are
     * written in full precision.
     *
     * @return the CSV text, lines ended by {@code \n}
     */
    public String csv() {
        StringBuilder csv = new StringBuilder("method,label,seeds,last_epoch_min,last_epoch_max");
        for (FinalMetric metric : FinalMetric.values()) {
            csv.append(',').append(metric.column()).append("_mean,").append(metric.column()).append("_sd");
        }
        csv.append(",within_bound,seeds_exceeding,mean_excess\n");
        for (MethodSummary m : methods) {
            csv.append(CsvText.cell(m.method())).append(',').append(CsvText.cell(m.label())).append(',').append(m.modes().size())
                    .append(',').append(m.lastEpochs().stream().min(Integer::compare).map(String::valueOf).orElse(""))
                    .append(',').append(m.lastEpochs().stream().max(Integer::compare).map(String::valueOf).orElse(""));
            for (FinalMetric metric : FinalMetric.values()) {
                csv.append(',').append(CsvText.meanAndSd(m.stat(metric)));
            }
            Verdict v = m.verdict();
            csv.append(',').append(v.seeds() == 0 ? "" : Boolean.toString(v.withinBound()))
                    .append(',').append(v.seeds() == 0 ? "" : Integer.toString(v.exceeding()))
                    .append(',').append(CsvText.number(v.exceeding() > 0, v.meanExcess())).append('\n');
        }
        return csv.toString();
    }
}
