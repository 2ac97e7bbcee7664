package dev.constrained4j.reports.weights;

import dev.constrained4j.reports.record.ReportHints;

import java.util.function.Function;

/**
 * A column of the weights table, in the table's order: seed 002's Table 1 (CV(−1), CV_{p=2},
 * accuracy) and the time per epoch, each read from {@code metrics.csv} at a mode's last epoch.
 */
public enum WeightsMetric {
    /** The constraint violation's 2-norm relative to that at initialisation, the paper's CV(−1). */
    CV_REL("cv_rel", "cv_rel", "CV(−1)", Best.LOWEST, ReportHints.PaperRow::cvRelative),
    /** The 2-norm of the constraint violations of the weights, the paper's CV_{p=2}. */
    CV_2("cv_2", "cv_2", "CV<sub>p=2</sub>", Best.LOWEST, ReportHints.PaperRow::cv2),
    /** Accuracy on the test split. */
    TEST_ACC("test_acc", "test_acc", "test accuracy", Best.HIGHEST, ReportHints.PaperRow::accuracy),
    /** Cumulative training seconds divided by the epochs trained (last epoch + 1). */
    SECONDS_PER_EPOCH("seconds_per_epoch", "elapsed", "s / epoch", Best.NONE, p -> "");

    /** Which mean of a (dataset, constraint set) group is shown in bold. */
    public enum Best {
        /** The lowest. */
        LOWEST,
        /** The highest. */
        HIGHEST,
        /** None: the column is not compared. */
        NONE
    }

    private final String column;
    private final String source;
    private final String headingHtml;
    private final Best best;
    private final Function<ReportHints.PaperRow, String> paper;

    WeightsMetric(String column, String source, String headingHtml, Best best,
                  Function<ReportHints.PaperRow, String> paper) {
        this.column = column;
        this.source = source;
        this.headingHtml = headingHtml;
        this.best = best;
        this.paper = paper;
    }

    /** @return the name in the page's {@code data-column} and the stem of the CSV export's columns */
    public String column() {
        return column;
    }

    /** @return the {@code metrics.csv} column it is computed from */
    public String source() {
        return source;
    }

    /** @return the table heading, as HTML */
    public String headingHtml() {
        return headingHtml;
    }

    /** @return which mean is the best of a group */
    public Best best() {
        return best;
    }

    /**
     * @param row a published row
     * @return its figure for this column as printed, empty where the paper has none
     */
    public String paper(ReportHints.PaperRow row) {
        return paper.apply(row);
    }
}
