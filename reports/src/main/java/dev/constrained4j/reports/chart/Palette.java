package dev.constrained4j.reports.chart;

import java.util.List;

/** The colours of curves, points and boxes: Matplotlib's tab10 palette, the reference's colours. */
public final class Palette {

    /** Matplotlib's tab10, in its order. */
    public static final List<String> TAB10 = List.of("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
            "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf");

    private Palette() {
    }

    /**
     * @param index the position of the thing coloured (mode, method, group), from 0
     * @return its colour, the palette repeating after ten
     */
    public static String color(int index) {
        return TAB10.get(Math.floorMod(index, TAB10.size()));
    }
}
