package dev.constrained4j.runners.run;

/**
 * Validation of configuration fields, with messages that name the field and the bad value; used by the
 * compact constructors of every run configuration.
 */
public final class Checks {

    private Checks() {
    }

    /** @throws IllegalArgumentException if {@code value < min} */
    public static void atLeast(String field, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + ", got " + value);
        }
    }

    /** @throws IllegalArgumentException unless {@code value} is finite and {@code > 0} */
    public static void positive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be a finite number > 0, got " + value);
        }
    }

    /** @throws IllegalArgumentException unless {@code value} is finite and {@code >= 0} */
    public static void nonNegative(String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be a finite number >= 0, got " + value);
        }
    }
}
