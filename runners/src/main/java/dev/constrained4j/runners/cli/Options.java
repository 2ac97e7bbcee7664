package dev.constrained4j.runners.cli;

/** Helpers of the commands' option handling: an option given on the command line, or the preset's value. */
final class Options {

    private Options() {
    }

    static int or(Integer value, int fallback) {
        return value != null ? value : fallback;
    }

    static double or(Double value, double fallback) {
        return value != null ? value : fallback;
    }
}
