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
 * @param scatters     scatter charts of two columns of a table, one point per row
 * @param images       images with captions
 * @param tables       extra CSV tables
 * @param metricTitles human titles for metric base names ({@code loss → "Cross-entropy loss"})
 * @param logScale     metric base names drawn on a logarithmic axis
 * @param kind         the report's layout: empty for the per-mode summary and curves of MNIST and
 *                     HiDDeN, {@value #FAIRNESS} for the per-method table and charts of {@link Fairness},
 *                     {@value #WEIGHTS} for the table and charts of {@link Weights}
 * @param fairness     the group-fairness constraints when {@code kind} is {@value #FAIRNESS}, else {@code null}
 * @param weights      the weight-constraint experiment when {@code kind} is {@value #WEIGHTS}, else {@code null}
 */
public record ReportHints(List<String> splits, Constraint constraint, List<HistogramHint> histograms,
                          List<BoxplotHint> boxplots, List<ScatterHint> scatters, List<ImageHint> images, List<TableHint> tables,
                          Map<String, String> metricTitles, Set<String> logScale, String kind, Fairness fairness,
                          Weights weights) {

    /** The {@code kind} of a run with group-fairness constraints, several methods and several seeds. */
    public static final String FAIRNESS = "fairness";
    /** The {@code kind} of a run with weight constraints: datasets × constraint sets × methods × settings × seeds. */
    public static final String WEIGHTS = "weights";

    /** Copies every collection. */
    public ReportHints {
        splits = List.copyOf(splits);
        histograms = List.copyOf(histograms);
        boxplots = List.copyOf(boxplots);
        scatters = List.copyOf(scatters);
        images = List.copyOf(images);
        tables = List.copyOf(tables);
        metricTitles = Map.copyOf(metricTitles);
        logScale = Set.copyOf(logScale);
        kind = kind == null ? "" : kind;
        if (FAIRNESS.equals(kind) != (fairness != null)) {
            throw new IllegalArgumentException("kind '" + kind + "' with" + (fairness == null ? "out" : "")
                    + " fairness hints");
        }
        if (WEIGHTS.equals(kind) != (weights != null)) {
            throw new IllegalArgumentException("kind '" + kind + "' with" + (weights == null ? "out" : "")
                    + " weights hints");
        }
    }

    /**
     * @return whether the run's layout aggregates modes at their last epochs (fairness, weights), so
     *         that the runner's per-mode {@code results} are not read
     */
    public boolean aggregated() {
        return fairness != null || weights != null;
    }

    /**
     * @param labels name → display name
     * @param name   a name
     * @return its display name, the name itself where it has none
     */
    public static String label(Map<String, String> labels, String name) {
        String label = labels.get(name);
        return label == null || label.isBlank() ? name : label;
    }

    /** @return hints with nothing in them */
    public static ReportHints none() {
        return new ReportHints(List.of(), null, List.of(), List.of(), List.of(), List.of(), List.of(), Map.of(), Set.of(), "",
                null, null);
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
            return ReportHints.label(methodLabels, method);
        }
    }

    /**
     * A weight-constraint experiment (seed 002, Table 1): every mode trains one model on one dataset
     * with one set of constraints on its weights, enforced by one method, with one hyper-parameter
     * setting and one seed. The table aggregates the modes of each (dataset, constraint set, method)
     * over seeds and settings together, as the paper averages over hyper-parameter configurations.
     *
     * @param datasets            the datasets, in display order ({@code mnist})
     * @param datasetLabels       dataset → display name
     * @param constraintSets      the constraint sets, in display order ({@code l2-orth})
     * @param constraintSetLabels constraint set → display name ({@code L2; orthogonality})
     * @param methods             the methods, in display order ({@code fp}, {@code sal}, {@code sadmm})
     * @param methodLabels        method → display name
     * @param model               the model's name ({@code CNN}), possibly empty
     * @param modes               mode → what it trains, in the order of {@code run.json}
     * @param paperTable          the seed's published figures, possibly empty
     */
    public record Weights(List<String> datasets, Map<String, String> datasetLabels, List<String> constraintSets,
                          Map<String, String> constraintSetLabels, List<String> methods,
                          Map<String, String> methodLabels, String model, Map<String, WeightsMode> modes,
                          List<PaperRow> paperTable) {

        /** Copies, keeping the order of the modes. */
        public Weights {
            datasets = List.copyOf(datasets);
            datasetLabels = Map.copyOf(datasetLabels);
            constraintSets = List.copyOf(constraintSets);
            constraintSetLabels = Map.copyOf(constraintSetLabels);
            methods = List.copyOf(methods);
            methodLabels = Map.copyOf(methodLabels);
            model = model == null ? "" : model;
            modes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(modes));
            paperTable = List.copyOf(paperTable);
        }

        /**
         * @param dataset       a dataset
         * @param constraintSet a constraint set
         * @param method        a method
         * @return the modes of that cell of the table, in run order
         */
        public List<String> modesOf(String dataset, String constraintSet, String method) {
            return modes.entrySet().stream().filter(e -> e.getValue().dataset().equals(dataset)
                            && e.getValue().constraintSet().equals(constraintSet) && e.getValue().method().equals(method))
                    .map(Map.Entry::getKey).toList();
        }

        /**
         * @param dataset       a dataset
         * @param constraintSet a constraint set
         * @param method        a method
         * @return the published row of that cell: the first of {@link #paperTable()} with the same
         *         dataset, constraint set and method and, where both name one, the same model
         */
        public java.util.Optional<PaperRow> paper(String dataset, String constraintSet, String method) {
            return paperTable.stream().filter(p -> p.dataset().equals(dataset) && p.constraintSet().equals(constraintSet)
                    && p.method().equals(method) && (p.model().isEmpty() || model.isEmpty() || p.model().equals(model)))
                    .findFirst();
        }
    }

    /**
     * What one mode of a {@link Weights} experiment trains.
     *
     * @param dataset       a dataset of {@link Weights#datasets()}
     * @param constraintSet a constraint set of {@link Weights#constraintSets()}
     * @param method        a method of {@link Weights#methods()}
     * @param setting       the index of its hyper-parameter setting
     * @param settingLabel  that setting in words ({@code μ_init = 1e-3}), possibly empty
     * @param seed          its seed
     */
    public record WeightsMode(String dataset, String constraintSet, String method, int setting, String settingLabel,
                              int seed) {
    }

    /**
     * A row of the seed's published table, its figures as printed ({@code "0.72 (σ 0.06)"}, {@code "3.2K (σ 7.6)"}).
     *
     * @param model         the model, possibly empty
     * @param dataset       the dataset
     * @param constraintSet the constraint set
     * @param method        the method
     * @param cvRelative    CV(−1), possibly empty
     * @param cv2           CV_{p=2}, possibly empty
     * @param accuracy      the test accuracy, possibly empty
     */
    public record PaperRow(String model, String dataset, String constraintSet, String method, String cvRelative,
                           String cv2, String accuracy) {
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
     * @param atLeast whether a sample satisfies the bound at or above it (a floor: {@code "boundSense": "min"},
     *                PSNR_i ≥ T) rather than at or below it (the default, {@code "max"}: c_i ≤ B); the caption
     *                counts the samples on the wrong side and by how much
     * @param mode    the training mode the samples come from
     * @param split   the data split
     * @param title   the chart title, or empty for a generated one
     */
    public record HistogramHint(String file, String column, Binning binning, Double bound, boolean atLeast,
                                String mode, String split, String title) {
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
     * A scatter chart of two numeric columns of a CSV table, one point per row with both cells finite, rows
     * grouped into series by the value of one column (in order of first appearance).
     *
     * @param file    the CSV file, relative to the run folder
     * @param x       the column of the x values
     * @param y       the column of the y values
     * @param series  the column whose value names a row's series
     * @param note    the column that says what a row's point is (its tooltip)
     * @param xLabel  the x-axis title, or empty for the column name
     * @param yLabel  the y-axis title, or empty for the column name
     * @param title   the chart title
     * @param caption the caption, possibly empty
     */
    public record ScatterHint(String file, String x, String y, String series, String note, String xLabel,
                              String yLabel, String title, String caption) {
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
