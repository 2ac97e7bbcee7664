package dev.constrained4j.reports.summary;

import dev.constrained4j.reports.record.MetricsTable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoubleFunction;

/**
 * A group of modes of one {@code metrics.csv} that a final table aggregates, e.g. a fairness
 * method's seeds or a weights cell's seeds × settings: each mode's value at its last epoch, their
 * {@link ModeStats}, and per-epoch means over the group. Modes without rows are left out.
 */
public final class ModeSet {

    /**
     * Per-epoch means over the modes.
     *
     * @param epochs every epoch that some mode reached, ascending
     * @param means  the mean over the modes with a value at that epoch, {@code null} where none has one
     */
    public record Curve(List<Double> epochs, List<Double> means) {

        /** Copies (allowing null means). */
        public Curve {
            epochs = List.copyOf(epochs);
            means = Collections.unmodifiableList(new ArrayList<>(means));
        }
    }

    private final MetricsTable metrics;
    private final List<String> modes;
    private final List<Integer> lastEpochs = new ArrayList<>();
    private final List<Integer> lastRows = new ArrayList<>();

    /**
     * @param metrics the run's metrics
     * @param modes   the modes of the group, in display order; those without rows are left out
     */
    public ModeSet(MetricsTable metrics, List<String> modes) {
        this.metrics = metrics;
        this.modes = modes.stream().filter(m -> !metrics.rowsOf(m).isEmpty()).toList();
        for (String mode : this.modes) {
            int last = metrics.rowsOf(mode).stream().mapToInt(r -> metrics.rows().get(r).epoch()).max().orElseThrow();
            lastEpochs.add(last);
            lastRows.add(metrics.find(mode, last).orElseThrow());
        }
    }

    /** @return the modes with rows, in the order given */
    public List<String> modes() {
        return modes;
    }

    /** @return whether no mode has rows */
    public boolean isEmpty() {
        return modes.isEmpty();
    }

    /** @return each mode's last epoch, in the order of {@link #modes()} */
    public List<Integer> lastEpochs() {
        return Collections.unmodifiableList(lastEpochs);
    }

    /**
     * @param column a metric column
     * @return each mode's value at its last epoch, in the order of {@link #modes()}; {@code null} for an empty cell
     */
    public List<Double> lastValues(String column) {
        List<Double> out = new ArrayList<>();
        lastRows.forEach(r -> out.add(metrics.value(r, column)));
        return out;
    }

    /**
     * @param column a metric column
     * @return its statistics over the modes that have a value at their last epoch
     */
    public ModeStats last(String column) {
        return ModeStats.of(present(lastValues(column)));
    }

    /**
     * @param column a metric column
     * @return its mean over the modes at every epoch that one of them reached
     */
    public Curve mean(String column) {
        Set<Integer> epochs = new TreeSet<>();
        for (String mode : modes) {
            metrics.rowsOf(mode).forEach(r -> epochs.add(metrics.rows().get(r).epoch()));
        }
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int epoch : epochs) {
            List<Double> values = new ArrayList<>();
            for (String mode : modes) {
                metrics.find(mode, epoch).map(r -> metrics.value(r, column)).ifPresent(values::add);
            }
            List<Double> present = present(values);
            xs.add((double) epoch);
            ys.add(present.isEmpty() ? null : ModeStats.of(present).mean());
        }
        return new Curve(xs, ys);
    }

    /**
     * Tooltip text per epoch of {@link #mean(String)}, e.g. the mean elapsed training time.
     *
     * @param column a metric column
     * @param text   the text of a mean
     * @return per epoch, the text of the column's mean there, empty where none has a value
     */
    public List<String> notes(String column, DoubleFunction<String> text) {
        return mean(column).means().stream().map(v -> v == null ? "" : text.apply(v)).toList();
    }

    /**
     * @param values values, some {@code null}
     * @return the non-null ones, in order
     */
    public static List<Double> present(List<Double> values) {
        return values.stream().filter(v -> v != null).toList();
    }
}
