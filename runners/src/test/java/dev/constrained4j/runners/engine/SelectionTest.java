package dev.constrained4j.runners.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SelectionTest {

    private static final Selection BEST_FEASIBLE = new Selection("val_satisfied", true, "val_ber", false);

    @Test
    void higherMetricWinsWhateverTheTieBreak() {
        assertTrue(BEST_FEASIBLE.isBetter(0.6, 0.5, 0.5, 0.1));
        assertFalse(BEST_FEASIBLE.isBetter(0.4, 0.0, 0.5, 0.1));
    }

    @Test
    void equalMetricIsDecidedByTheTieBreakAndTheFirstOfFullyEqualEpochsIsKept() {
        assertTrue(BEST_FEASIBLE.isBetter(0.5, 0.1, 0.5, 0.2), "lower BER wins a tie");
        assertFalse(BEST_FEASIBLE.isBetter(0.5, 0.3, 0.5, 0.2));
        assertFalse(BEST_FEASIBLE.isBetter(0.5, 0.2, 0.5, 0.2), "the first of equal epochs is kept");
        assertFalse(new Selection("val_satisfied", true).isBetter(0.5, 0.5), "no tie-break: first kept");
    }

    @Test
    void notApplicableValuesNeverWin() {
        assertFalse(BEST_FEASIBLE.isBetter(Double.NaN, 0.0, 0.5, 0.2));
        assertTrue(BEST_FEASIBLE.isBetter(0.5, 0.2, Double.NaN, Double.NaN));
        assertTrue(Selection.LAST.isBetter(Double.NaN, 1));
    }
}
