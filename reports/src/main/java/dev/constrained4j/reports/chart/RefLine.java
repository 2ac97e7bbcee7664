package dev.constrained4j.reports.chart;

/**
 * A dashed reference line across the plot, e.g. the constraint bound B.
 *
 * @param vertical whether it is vertical (at an x value) rather than horizontal (at a y value)
 * @param value    the data value where it is drawn
 * @param label    its label, possibly empty
 */
public record RefLine(boolean vertical, double value, String label) {
}
