package dev.constrained4j.reports.chart;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Number formatting shared by tables, tick labels and captions (always with a '.' decimal point). */
public final class Numbers {

    private Numbers() {
    }

    /**
     * Formats a value with at most 4 significant digits, in scientific notation below 1e-5 and
     * from 1e6 on (integers below 1e7 in full); {@code null} (an empty cell) becomes {@code "n/a"}.
     *
     * @param value a value or {@code null}
     * @return its display text
     */
    public static String format(Double value) {
        return value == null ? "n/a" : format(value, 4);
    }

    /**
     * Formats a value like {@link #format(Double)} with at most {@code significant} significant
     * digits, e.g. 2 for a standard deviation shown after its mean.
     *
     * @param value       a value
     * @param significant the significant digits, at least 1
     * @return its display text
     */
    public static String format(double value, int significant) {
        double v = value;
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e7) {
            return Long.toString((long) v);
        }
        double a = Math.abs(v);
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(significant)).stripTrailingZeros();
        if (a >= 1e-5 && a < 1e6) {
            return rounded.toPlainString();
        }
        return rounded.toString().replace("E+", "e").replace("E", "e");
    }

    /** The suffixes of {@link #compact}, each a factor 1000 above the one before. */
    private static final String[] THOUSANDS = {"", "K", "M", "G", "T"};

    /**
     * Formats a value compactly, as seed 002's tables do: two decimals below 10 ({@code 0.72},
     * {@code 3.20}), one below 100 ({@code 41.5}), none below 1000 ({@code 512}), then a suffix
     * K, M, G, T with one decimal below 10 of the unit and none above ({@code 3.2K}, {@code 76K},
     * {@code 1.4M}); scientific notation for non-zero values below 0.01 ({@code 3.0e-4}) and from
     * 1000T on.
     *
     * @param value a value
     * @return its display text
     */
    public static String compact(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        double a = Math.abs(value);
        if (a == 0) {
            return "0";
        }
        if (a < 0.01) {
            return String.format(Locale.ROOT, "%.1e", value).replace("e-0", "e-");
        }
        if (a < 9.995) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        if (a < 99.95) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (a < 999.5) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        for (int unit = 1; unit < THOUSANDS.length; unit++) {
            double scaled = value / Math.pow(1000, unit);
            double s = Math.abs(scaled);
            if (s < 9.95) {
                return String.format(Locale.ROOT, "%.1f", scaled) + THOUSANDS[unit];
            }
            if (s < 999.5) {
                return String.format(Locale.ROOT, "%.0f", scaled) + THOUSANDS[unit];
            }
        }
        return String.format(Locale.ROOT, "%.1e", value).replace("e+", "e");
    }

    /**
     * Formats a tick value on an axis whose ticks are {@code step} apart, with just enough decimals.
     *
     * @param value the tick value
     * @param step  the tick spacing
     * @return its label
     */
    public static String tick(double value, double step) {
        if (Math.abs(value) < step * 1e-9) {
            return "0";
        }
        double a = Math.abs(value);
        if (a >= 1e5 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.1e", value).replace("e-0", "e-").replace("e+0", "e");
        }
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
