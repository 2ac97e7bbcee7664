package dev.constrained4j.losses.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.losses.method.MethodState;
import dev.constrained4j.losses.weights.L1Bound;
import dev.constrained4j.losses.weights.L2Bound;
import dev.constrained4j.losses.weights.WeightConstraintSet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** SAL's branches by hand (seed 002, Algorithm 2), its learning-rate reset, convergence and an exact resume. */
class StochasticAugmentedLagrangianTest {

    /** L2 (r = 0: ‖w‖₂²) and L1 (r = 0: ‖w‖₁) on one vector. */
    private static final WeightConstraintSet TWO = WeightConstraintSet.builder()
            .add("w", new L1Bound(0)).add("w", new L2Bound(0)).build();

    private static final StochasticAugmentedLagrangianConfig BY_HAND = StochasticAugmentedLagrangianConfig.defaults()
            .withTolerances(0.5, 0.0, 0.0).withPenalty(1.0, 2.0, 3.0).withSchedule(2, 2).withLearningRate(0.1, 0.5);

    @Test
    void acceptanceAndPenaltyBranchesByHand() {
        StochasticAugmentedLagrangian sal = new StochasticAugmentedLagrangian(BY_HAND, TWO, new SgdOptimizer());
        Map<String, INDArray> w = Map.of("w", Nd4j.createFromArray(3.0, 4.0));
        sal.beginEpoch(0);
        assertEquals(1.0, sal.penalty());
        // the first step sets C_best = C(θ_0) = (‖w‖₁, ‖w‖₂²) = (7, 25), ‖C_best‖² = 674, before moving w
        sal.step(w, Map.of("w", Nd4j.createFromArray(0.0, 0.0)));
        assertArrayEquals(new double[]{7, 25}, sal.bestViolation());
        // direction: v = λ + μc = (0, 0) + 1·(7, 25)
        double[] v = new double[2];
        assertEquals(1.0, sal.direction(new double[]{7, 25}, null, v));
        assertArrayEquals(new double[]{7, 25}, v);
        // ‖(10, 15)‖² = 325 ≤ 0.5·674 = 337: accept; λ = 0 + 1·(10, 15); C_best = (10, 15); μ kept
        sal.endIteration(new double[]{10, 15}, 1.0);
        assertTrue(sal.accepted());
        assertArrayEquals(new double[]{10, 15}, sal.multipliers());
        assertArrayEquals(new double[]{10, 15}, sal.bestViolation());
        assertEquals(1.0, sal.penalty());
        assertEquals(1, sal.iteration());
        // iteration 1 of shuffle 0: μ not reset; 325 > 0.5·325: reject; μ = min(2·1, 3) = 2; λ kept
        sal.beginEpoch(1);
        assertEquals(1.0, sal.penalty());
        sal.endIteration(new double[]{10, 15}, 1.0);
        assertFalse(sal.accepted());
        assertEquals(2.0, sal.penalty());
        assertArrayEquals(new double[]{10, 15}, sal.multipliers());
        assertEquals(1, sal.shuffle());
        assertEquals(0, sal.iteration());
        // shuffle 1: μ_0 = (1 + 1)·1 = 2; reject again: μ = min(2·2, 3) = 3 (the safeguard)
        sal.beginEpoch(2);
        assertEquals(2.0, sal.penalty());
        sal.endIteration(new double[]{10, 15}, 1.0);
        assertEquals(3.0, sal.penalty());
        // ‖(1, 2)‖² = 5 ≤ 0.5·325: accept; λ = (10, 15) + 3·(1, 2) = (13, 21); the last iteration: finished
        sal.beginEpoch(3);
        sal.endIteration(new double[]{1, 2}, 1.0);
        assertArrayEquals(new double[]{13, 21}, sal.multipliers());
        assertArrayEquals(new double[]{1, 2}, sal.bestViolation());
        assertTrue(sal.finished());
        assertThrows(IllegalStateException.class, () -> sal.beginEpoch(4));
    }

    @Test
    void terminatesOnBothTolerancesWithoutUpdatingTheMultipliers() {
        StochasticAugmentedLagrangian sal = new StochasticAugmentedLagrangian(
                BY_HAND.withTolerances(0.5, 0.5, 10.0), TWO, new SgdOptimizer());
        sal.beginEpoch(0);
        sal.step(Map.of("w", Nd4j.createFromArray(3.0, 4.0)), Map.of("w", Nd4j.createFromArray(0.0, 0.0)));
        // accepted (5 ≤ 337) and ‖C‖² = 5 ≤ ε_c, but F = 0.6 > ε_f: the multipliers update, no termination
        sal.endIteration(new double[]{1, 2}, 0.6);
        assertFalse(sal.finished());
        assertArrayEquals(new double[]{1, 2}, sal.multipliers());
        // accepted (1.25 ≤ 2.5), ‖C‖² ≤ ε_c and F = 0.4 ≤ ε_f: terminate with λ unchanged
        sal.beginEpoch(1);
        sal.endIteration(new double[]{0.5, 1}, 0.4);
        assertTrue(sal.finished());
        assertArrayEquals(new double[]{1, 2}, sal.multipliers());
    }

    @Test
    void theLearningRateDecaysWithinAnIterationAndIsResetAtTheNext() {
        Map<String, INDArray> w = Map.of("w", Nd4j.createFromArray(1.0));
        WeightConstraintSet one = WeightConstraintSet.builder().add("w", new L2Bound(0.5)).build();
        StochasticAugmentedLagrangian single = new StochasticAugmentedLagrangian(BY_HAND, one, new SgdOptimizer());
        single.beginEpoch(0);
        // lr 0.1, then 0.05: w = 1 − 0.1·1 − 0.05·1 = 0.85
        single.step(w, Map.of("w", Nd4j.createFromArray(1.0)));
        single.step(w, Map.of("w", Nd4j.createFromArray(1.0)));
        assertEquals(0.85, w.get("w").getDouble(0), 1e-15);
        assertEquals(0.025, single.learningRate(), 1e-15);
        single.recordObjective(0.0);
        single.endEpoch(0);
        single.beginEpoch(1);
        assertEquals(0.1, single.learningRate());
    }

    @Test
    void endEpochAsksForTheObjectiveWhenTheTerminationTestNeedsIt() {
        StochasticAugmentedLagrangian sal = new StochasticAugmentedLagrangian(BY_HAND, TWO, new SgdOptimizer());
        sal.beginEpoch(0);
        sal.step(Map.of("w", Nd4j.createFromArray(3.0, 4.0)), Map.of("w", Nd4j.createFromArray(0.0, 0.0)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sal.endEpoch(0));
        assertTrue(e.getMessage().contains("recordObjective"), e.getMessage());
    }

    /**
     * Least squares under ‖w‖₂ ≤ 1.5 with the mean about (2, −1, 2) (‖x̄‖ ≈ 3): the answer is the projection
     * 1.5·x̄/‖x̄‖ (MeanToy). The start (1.5, −0.5, 1.5) is infeasible: from a feasible start C_best = C(θ_0) = 0
     * and Algorithm 2 would never accept an iteration. 256 samples in batches of 8, SGD with lr 0.08 decayed by 0.9 per step within each
     * iteration (down to 0.004 at an epoch's end), 3 shuffles × 10 iterations, μ_init = 0.5 and μ_max = 2 (the
     * curvature of (μ/2)C² is about 4μ‖w‖², so lr 0.08 stays stable). Tolerance 0.02: the batch noise left by the
     * final learning rate is below 0.005 per coordinate; a run that ignored the constraint would end near x̄, 1.5
     * away.
     */
    @Test
    void reachesTheProjectedLeastSquaresSolution() {
        MeanToy toy = new MeanToy(new double[]{2, -1, 2}, 256, 0.5, 8, 3);
        WeightConstraintSet set = WeightConstraintSet.builder().add(MeanToy.PARAMETER, new L2Bound(1.5)).build();
        StochasticAugmentedLagrangianConfig config = StochasticAugmentedLagrangianConfig.defaults()
                .withTolerances(0.5, 0.0, 0.0).withPenalty(0.5, 2.0, 2.0).withSchedule(3, 10)
                .withLearningRate(0.08, 0.9);
        StochasticAugmentedLagrangian sal = new StochasticAugmentedLagrangian(config, set, new SgdOptimizer());
        Map<String, INDArray> params = toy.start(1.5, -0.5, 1.5);
        int epoch = 0;
        while (!sal.finished()) {
            toy.epoch(sal, set, params, epoch++);
        }
        assertEquals(30, epoch);
        assertArrayEquals(toy.projectedSolution(1.5), params.get(MeanToy.PARAMETER).toDoubleVector(), 0.02);
        // the multiplier approaches λ* with ∇F + λ*·2w = 0 at the solution: λ* = (‖x̄‖/r − 1)/2
        double[] m = toy.mean();
        double norm = Math.sqrt(m[0] * m[0] + m[1] * m[1] + m[2] * m[2]);
        assertEquals((norm / 1.5 - 1) / 2, sal.multipliers()[0], 0.05);
    }

    /** Six epochs straight, or three, a state written and read into a fresh SAL, and three more: the same bits. */
    @Test
    void resumesExactly() throws IOException {
        MeanToy toy = new MeanToy(new double[]{2, -1, 2}, 64, 0.5, 8, 5);
        WeightConstraintSet set = WeightConstraintSet.builder().add(MeanToy.PARAMETER, new L2Bound(1.5))
                .add(MeanToy.PARAMETER, new L1Bound(2)).build();
        StochasticAugmentedLagrangianConfig config = StochasticAugmentedLagrangianConfig.defaults()
                .withTolerances(0.9, 0.0, 0.0).withSchedule(3, 2).withLearningRate(0.2, 0.95);
        StochasticAugmentedLagrangian straight = new StochasticAugmentedLagrangian(config, set, new SgdOptimizer());
        Map<String, INDArray> a = toy.start(0.1, 0.2, 0.3);
        for (int e = 0; e < 6; e++) {
            toy.epoch(straight, set, a, e);
        }
        StochasticAugmentedLagrangian first = new StochasticAugmentedLagrangian(config, set, new SgdOptimizer());
        Map<String, INDArray> b = toy.start(0.1, 0.2, 0.3);
        for (int e = 0; e < 3; e++) {
            toy.epoch(first, set, b, e);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            first.state().write(out);
            first.writePrimal(out);
        }
        StochasticAugmentedLagrangian resumed = new StochasticAugmentedLagrangian(config, set, new SgdOptimizer());
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            resumed.restore(MethodState.read(in, null));
            resumed.readPrimal(in);
        }
        for (int e = 3; e < 6; e++) {
            toy.epoch(resumed, set, b, e);
        }
        assertArrayEquals(a.get(MeanToy.PARAMETER).toDoubleVector(), b.get(MeanToy.PARAMETER).toDoubleVector(), 0.0);
        assertArrayEquals(straight.multipliers(), resumed.multipliers(), 0.0);
        assertEquals(straight.penalty(), resumed.penalty());
        assertEquals(straight.state().scalars(), resumed.state().scalars());
        assertTrue(resumed.finished());
    }

    @Test
    void configRejectsBadValuesByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StochasticAugmentedLagrangianConfig.defaults().withPenalty(1.0, 0.5, 10));
        assertTrue(e.getMessage().contains("penaltyFactor"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> StochasticAugmentedLagrangianConfig.defaults().withLearningRate(0.1, 0));
        assertEquals(10, StochasticAugmentedLagrangianConfig.defaults().epochs());
    }
}
