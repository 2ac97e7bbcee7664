package dev.constrained4j.reports.weights;

import java.util.List;

/**
 * The rows of one dataset and constraint set, one per method of the hints, among which the best
 * means are marked.
 *
 * @param dataset            the dataset
 * @param datasetLabel       its display name
 * @param constraintSet      the constraint set
 * @param constraintSetLabel its display name
 * @param rows               one row per method, in the hints' order
 */
public record WeightsGroup(String dataset, String datasetLabel, String constraintSet, String constraintSetLabel,
                           List<WeightsRow> rows) {

    /** Copies the rows. */
    public WeightsGroup {
        rows = List.copyOf(rows);
    }
}
