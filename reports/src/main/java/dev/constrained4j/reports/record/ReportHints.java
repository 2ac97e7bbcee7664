package dev.constrained4j.reports.record;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The optional {@code report} object of {@code run.json}: what the runner asks the report to show
 * beyond the metric curves. Every field may be empty.
 *
 * @param splits       the data splits that prefix metric columns ({@code train}, {@code test},
 *                     {@code val}); empty means "derive them from the metrics header"
 * @param constraint   the per-sample constraint, or {@code null} if the run has none
 * @param histograms   histograms of per-sample values
 * @param boxplots     box plots of per-sample values
 * @param images       images with captions
 * @param tables       extra CSV tables
 * @param metricTitles human titles for metric base names ({@code loss → "Cross-entropy loss"})
 * @param logScale     metric base names drawn on a logarithmic axis
 * @param kind         the report's layout: empty for the per-mode summary and curves of MNIST and
 *                     HiDDeN, {@value #FAIRNESS} for the per-method table and charts of {@link Fairness}
 * @param fairness     the group-fairness constraints when {@code kind} is {@value #FAIRNESS}, else {@code null}
 */
public record ReportHints(List<String> splits, Constraint constraint, List<HistogramHint> histograms,
                          List<BoxplotHint> boxplots, List<ImageHint> images, List<TableHint> tables,
                          Map<String, String> metricTitles, Set<String> logScale, String kind, Fairness fairness) {

    /** The {@code kind} of a run with group-fairness constraints, several methods and several seeds. */
    public static final String FAIRNESS = "fairness";

    /** Copies every collection. */
    public ReportHints {
        splits = List.copyOf(splits);
        histograms = List.copyOf(histograms);
        boxplots = List.copyOf(boxplots);
        images = List.copyOf(images);
        tables = List.copyOf(tables);
        metricTitles = Map.copyOf(metricTitles);
        logScale = Set.copyOf(logScale);
        kind = kind == null ? "" : kind;
        if (FAIRNESS.equals(kind) != (fairness != null)) {
            throw new IllegalArgumentException("kind '" + kind + "' with" + (fairness == null ? "out" : "")
                    + " fairness hints");
        }
    }

    /** @return hints with nothing in them */
    public static ReportHints none() {
        return new ReportHints(List.of(), null, List.of(), List.of(), List.of(), List.of(), Map.of(), Set.of(), "", null);
    }

    /**
     * Group-fairness constraints {@code |PR_g − PR| ≤ bound} for every group g of one protected
     * attribute, trained by several methods with several seeds each; the modes are named
     * {@code <method>-s<seed>}. In {@code metrics.csv} the gaps {@code PR_g − PR} are the columns
     * {@code <split>_gap_<groupColumn>}, and {@code <split>_max_violation} is
     * {@code max_g |PR_g − PR| − bound} (≤ 0: every constraint holds).
     *
     * @param bound        the bound c (&gt; 0)
     * @param groups       the group names, in display order
     * @param groupColumns the column slug of each group, same order ({@code never_married})
     * @param methods      the methods, in display order ({@code adam}, {@code sslalm})
     * @param methodLabels method → display name; a method without one is shown by its name
     */
    public record Fairness(double bound, List<String> groups, List<String> groupColumns, List<String> methods,
                           Map<String, String> methodLabels) {

        /** Copies; the groups and their columns must pair up. */
        public Fairness {
            groups = List.copyOf(groups);
            groupColumns = List.copyOf(groupColumns);
            methods = List.copyOf(methods);
            methodLabels = Map.copyOf(methodLabels);
            if (groups.size() != groupColumns.size()) {
                throw new IllegalArgumentException(groups.size() + " groups, " + groupColumns.size() + " group columns");
            }
        }

        /**
         * The column slug of a group name, as the runner derives it when it writes no
         * {@code groupColumns}: lower case, each character other than a–z and 0–9 replaced by {@code _}.
         *
         * @param group a group name ({@code Never-married})
         * @return its slug ({@code never_married})
         */
        public static String slug(String group) {
            return group.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        }

        /**
         * @param method a method
         * @return its display name
         */
        public String label(String method) {
            String label = methodLabels.get(method);
            return label == null || label.isBlank() ? method : label;
        }
    }

    /**
     * The per-sample constraint {@code c_i ≤ bound}.
     *
     * @param column          the metric base name of c (e.g. {@code recon_mse})
     * @param bound           the bound B, or {@code null} if not given
     * @param satisfiedColumn the metric base name of the fraction satisfied (e.g. {@code satisfied})
     */
    public record Constraint(String column, Double bound, String satisfiedColumn) {
    }

    /**
     * A histogram of one per-sample column.
     *
     * @param file    the CSV file, relative to the run folder
     * @param column  the column to bin
     * @param binning the bins: a fixed range, or a bin count over the range of the data
     * @param bound   the constraint bound to draw, or {@code null}
     * @param mode    the training mode the samples come from
     * @param split   the data split
     * @param title   the chart title, or empty for a generated one
     */
    public record HistogramHint(String file, String column, Binning binning, Double bound, String mode,
                                String split, String title) {
    }

    /**
     * How a histogram hint bins its column: {@code binWidth, min, max} in {@code run.json} for a range
     * known in advance, or {@code bins} alone when the range is only known from the data.
     */
    public sealed interface Binning permits FixedRange, DataRange {
    }

    /**
     * Equal bins over a range given in advance; values beyond {@code max} go into the last bin.
     *
     * @param binWidth the bin width (&gt; 0)
     * @param min      the left edge of the first bin
     * @param max      the right edge of the last bin (&gt; min)
     */
    public record FixedRange(double binWidth, double min, double max) implements Binning {
    }

    /**
     * A number of equal bins over the range of the data (see
     * {@link dev.constrained4j.reports.chart.Histogram#ofData}).
     *
     * @param bins the number of bins (&gt; 0)
     */
    public record DataRange(int bins) implements Binning {
    }

    /**
     * A box plot of one per-sample column.
     *
     * @param file   the CSV file, relative to the run folder
     * @param column the column
     * @param mode   the training mode
     * @param split  the data split
     * @param title  a title, or {@code null}
     */
    public record BoxplotHint(String file, String column, String mode, String split, String title) {
    }

    /**
     * An image shown with a caption.
     *
     * @param file    the image file, relative to the run folder
     * @param caption the caption, possibly empty
     */
    public record ImageHint(String file, String caption) {
    }

    /**
     * A CSV table shown as an HTML table.
     *
     * @param file  the CSV file, relative to the run folder
     * @param title the title, possibly empty
     */
    public record TableHint(String file, String title) {
    }
}
