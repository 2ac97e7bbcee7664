package dev.constrained4j.losses.weights;

/** Checks shared by the proximal operators. */
final class Proximal {

    private Proximal() {
    }

    static void requireStep(double t) {
        if (!(t >= 0) || Double.isNaN(t)) {
            throw new IllegalArgumentException("a proximal step t must be >= 0, got " + t);
        }
    }
}
