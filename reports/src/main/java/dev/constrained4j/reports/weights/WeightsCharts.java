package dev.constrained4j.reports.weights;

import dev.constrained4j.reports.chart.Chart;
import dev.constrained4j.reports.chart.LineChart;
import dev.constrained4j.reports.chart.Numbers;
import dev.constrained4j.reports.chart.Palette;
import dev.constrained4j.reports.chart.Series;
import dev.constrained4j.reports.summary.ModeSet;

import java.util.ArrayList;
import java.util.List;

/**
 * The curves of one (dataset, constraint set) of a weights run: test accuracy and CV_{p=2} (on a
 * log axis) against epoch, one line per method, each a mean over the method's modes (seeds ×
 * settings); each point's tooltip gives the mean elapsed training time at that epoch.
 */
final class WeightsCharts {

    private WeightsCharts() {
    }

    /**
     * @param group  the group's rows
     * @param sets   the modes of each row, same order
     * @param prefix prepended to every chart id (empty for one run)
     * @return the accuracy chart and the CV_{p=2} chart
     */
    static List<LineChart> of(WeightsGroup group, List<ModeSet> sets, String prefix) {
        String id = prefix + "weights-" + Chart.idPart(group.dataset()) + "-" + Chart.idPart(group.constraintSet());
        String where = group.datasetLabel() + ", " + group.constraintSetLabel();
        return List.of(
                chart(group, sets, WeightsMetric.TEST_ACC.source(), id + "-acc", where + ": test accuracy per epoch",
                        "test accuracy", false, "Test accuracy at the end of each epoch"),
                chart(group, sets, WeightsMetric.CV_2.source(), id + "-cv2", where + ": CV_{p=2} per epoch",
                        "CV_{p=2} (log)", true, "CV_{p=2} = (Σ_i C_i²)^{1/2}, the 2-norm of the weights' constraint"
                                + " violations at the end of each epoch, on a log axis (zero is not drawn)"));
    }

    private static LineChart chart(WeightsGroup group, List<ModeSet> sets, String column, String id, String title,
                                   String yLabel, boolean log, String what) {
        List<Series> series = new ArrayList<>();
        List<String> counts = new ArrayList<>();
        for (int m = 0; m < group.rows().size(); m++) {
            ModeSet set = sets.get(m);
            if (set.isEmpty()) {
                continue;
            }
            WeightsRow row = group.rows().get(m);
            ModeSet.Curve curve = set.mean(column);
            series.add(new Series(row.label(), Palette.color(m), Series.Dash.SOLID, curve.epochs(), curve.means(),
                    set.notes(WeightsMetric.SECONDS_PER_EPOCH.source(), v -> "elapsed " + Numbers.format(v) + " s")));
            counts.add(row.label() + " " + set.modes().size());
        }
        String caption = what + ", mean over each method's modes, seeds and settings together (" + String.join(", ", counts)
                + "). Hover for the elapsed training time.";
        return new LineChart(id, title, caption, "epoch", yLabel, log, series, List.of());
    }
}
