package dev.constrained4j.reports.chart;

import java.util.List;

/**
 * Box plots of one per-sample column side by side, one box per (run, mode, split).
 *
 * @param id      the container id ({@code box-ber-test})
 * @param title   the title
 * @param caption the caption
 * @param yLabel  the y-axis title
 * @param boxes   the boxes, left to right
 */
public record BoxChart(String id, String title, String caption, String yLabel, List<Box> boxes) implements Chart {

    /**
     * One box.
     *
     * @param label its label under the axis
     * @param color its colour
     * @param stats its statistics
     */
    public record Box(String label, String color, BoxStats stats) {
    }

    /** Copies the list. */
    public BoxChart {
        boxes = List.copyOf(boxes);
    }

    @Override
    public int seriesCount() {
        return boxes.size();
    }
}
