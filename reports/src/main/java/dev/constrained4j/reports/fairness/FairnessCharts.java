package dev.constrained4j.reports.fairness;

import dev.constrained4j.reports.chart.Chart;
import dev.constrained4j.reports.chart.LineChart;
import dev.constrained4j.reports.chart.Numbers;
import dev.constrained4j.reports.chart.Palette;
import dev.constrained4j.reports.chart.RefLine;
import dev.constrained4j.reports.chart.Series;
import dev.constrained4j.reports.record.ReportHints;
import dev.constrained4j.reports.summary.ModeSet;

import java.util.ArrayList;
import java.util.List;

/**
 * The curves of a fairness run, every line a mean over a method's seeds against epoch: one chart of
 * the train and test loss of every method (colour: method), then per method one chart of every
 * group's gap {@code PR_g − PR} on train and test (colour: group) between the lines ±c. Train is
 * solid, test dashed; each point's tooltip gives the mean elapsed training time at that epoch.
 */
final class FairnessCharts {

    private FairnessCharts() {
    }

    /**
     * @param run    the run
     * @param prefix prepended to every chart id, to keep the ids of several runs apart (empty for one run)
     * @return the loss chart, then one gap chart per method that has rows
     */
    static List<LineChart> of(FairnessRun run, String prefix) {
        List<LineChart> charts = new ArrayList<>();
        charts.add(loss(run, prefix));
        for (String method : run.hints().methods()) {
            if (!run.modesOf(method).isEmpty()) {
                charts.add(gaps(run, method, prefix));
            }
        }
        return charts;
    }

    private static LineChart loss(FairnessRun run, String prefix) {
        ReportHints.Fairness hints = run.hints();
        List<Series> series = new ArrayList<>();
        List<String> seeds = new ArrayList<>();
        for (int m = 0; m < hints.methods().size(); m++) {
            String method = hints.methods().get(m);
            if (run.modesOf(method).isEmpty()) {
                continue;
            }
            List<String> notes = elapsedNotes(run, method);
            for (String split : FairnessRun.SPLITS) {
                ModeSet.Curve curve = run.mean(method, split + "_loss");
                series.add(new Series(hints.label(method) + " · " + split, Palette.color(m), dash(split),
                        curve.epochs(), curve.means(), notes));
            }
            seeds.add(hints.label(method) + " " + run.modesOf(method).size());
        }
        String caption = "Binary cross-entropy, mean over each method's seeds (" + String.join(", ", seeds)
                + "). Solid: train; dashed: test. Hover for the elapsed training time.";
        return new LineChart(prefix + "fairness-loss", "Loss per epoch, every method", caption, "epoch",
                "loss (BCE)", false, series, List.of());
    }

    private static LineChart gaps(FairnessRun run, String method, String prefix) {
        ReportHints.Fairness hints = run.hints();
        List<String> notes = elapsedNotes(run, method);
        List<Series> series = new ArrayList<>();
        for (int g = 0; g < hints.groups().size(); g++) {
            for (String split : FairnessRun.SPLITS) {
                ModeSet.Curve curve = run.mean(method, FairnessRun.gapColumn(split, hints.groupColumns().get(g)));
                series.add(new Series(hints.groups().get(g) + " · " + split, Palette.color(g), dash(split),
                        curve.epochs(), curve.means(), notes));
            }
        }
        String c = Numbers.format(hints.bound());
        List<RefLine> lines = List.of(new RefLine(false, hints.bound(), "+c = " + c),
                new RefLine(false, -hints.bound(), "−c = −" + c));
        String caption = "Each group's gap PR_g − PR (its mean predicted positive probability minus the overall"
                + " one), mean over the seeds " + String.join(", ", run.modesOf(method)) + ". Solid: train; dashed:"
                + " test. Red dashed lines: ±c = ±" + c + "; the constraint is |PR_g − PR| ≤ c."
                + " Hover for the elapsed training time.";
        return new LineChart(prefix + "fairness-gap-" + Chart.idPart(method),
                hints.label(method) + ": group gaps per epoch", caption, "epoch", "PR_g − PR", false, series, lines);
    }

    /** @return per epoch of the method's curves, the mean elapsed training time as tooltip text */
    private static List<String> elapsedNotes(FairnessRun run, String method) {
        return run.group(method).notes(FinalMetric.ELAPSED.column(), v -> "elapsed " + Numbers.format(v) + " s");
    }

    private static Series.Dash dash(String split) {
        return split.equals(FairnessRun.TRAIN) ? Series.Dash.SOLID : Series.Dash.DASHED;
    }
}
