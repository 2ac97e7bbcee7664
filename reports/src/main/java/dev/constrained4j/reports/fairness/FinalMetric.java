package dev.constrained4j.reports.fairness;

/**
 * A value of {@code metrics.csv} that the final per-method table aggregates over seeds, in the
 * table's column order. The column names are the fairness runner's.
 */
public enum FinalMetric {
    /** Accuracy on the test split. */
    TEST_ACC("test_acc", "test accuracy"),
    /** Accuracy on the training split. */
    TRAIN_ACC("train_acc", "train accuracy"),
    /** The objective (binary cross-entropy) on the test split. */
    TEST_LOSS("test_loss", "test loss (BCE)"),
    /** The objective (binary cross-entropy) on the training split. */
    TRAIN_LOSS("train_loss", "train loss (BCE)"),
    /** {@code max_g |PR_g − PR| − c} on the test split; ≤ 0 when every constraint holds. */
    TEST_MAX_VIOLATION("test_max_violation", "test max violation"),
    /** {@code max_g |PR_g − PR| − c} on the training split. */
    TRAIN_MAX_VIOLATION("train_max_violation", "train max violation"),
    /** Cumulative training seconds of the mode, evaluation excluded. */
    ELAPSED("elapsed", "training time (s)");

    private final String column;
    private final String heading;

    FinalMetric(String column, String heading) {
        this.column = column;
        this.heading = heading;
    }

    /** @return the {@code metrics.csv} column, also the stem of the CSV export's columns */
    public String column() {
        return column;
    }

    /** @return the table heading */
    public String heading() {
        return heading;
    }
}
