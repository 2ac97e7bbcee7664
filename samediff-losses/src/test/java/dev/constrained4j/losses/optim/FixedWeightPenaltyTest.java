package dev.constrained4j.losses.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.losses.weights.L1Bound;
import dev.constrained4j.losses.weights.L2Bound;
import dev.constrained4j.losses.weights.WeightConstraintSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The fixed penalty of seed 002 eq. (13): its direction by hand and its minimiser on the least-squares toy. */
class FixedWeightPenaltyTest {

    @Test
    void directionIsTwiceTheKindsPenaltyTimesTheViolation() {
        WeightConstraintSet set = WeightConstraintSet.builder().add("a", new L2Bound(1)).add("b", new L1Bound(1))
                .add("c", new L2Bound(2)).build();
        FixedWeightPenalty fp = new FixedWeightPenalty(set, Map.of("l2", 0.5, "l1", 0.01), new SgdOptimizer(), 0.1);
        double[] v = new double[3];
        assertEquals(1.0, fp.direction(new double[]{2, 3, 4}, null, v));
        assertArrayEquals(new double[]{2 * 0.5 * 2, 2 * 0.01 * 3, 2 * 0.5 * 4}, v, 1e-15);
        assertTrue(Double.isNaN(fp.coefficient()));
        assertEquals(Map.of("rho_l2", 0.5, "rho_l1", 0.01), fp.statistics());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FixedWeightPenalty(set, Map.of("l2", 0.5), new SgdOptimizer(), 0.1));
        assertTrue(e.getMessage().contains("'l1'"), e.getMessage());
    }

    /**
     * Full-batch gradient descent on ½‖w − x̄‖² + ρ(‖w‖² − r²)² (outside the ball; F's constant dropped): the
     * minimiser is radial, w = a·x̄/‖x̄‖ with (a − ‖x̄‖) + 4ρ(a² − r²)a = 0, solved here by bisection on [r, ‖x̄‖].
     * It lies outside the ball (FP does not satisfy the constraint exactly). lr 0.02 is below 2/curvature (≈ 20).
     */
    @Test
    void reachesThePenalisedMinimiser() {
        MeanToy toy = new MeanToy(new double[]{2, -1, 2}, 64, 0.5, 64, 3);
        double r = 1.5;
        double rho = 0.5;
        WeightConstraintSet set = WeightConstraintSet.builder().add(MeanToy.PARAMETER, new L2Bound(r)).build();
        FixedWeightPenalty fp = new FixedWeightPenalty(set, Map.of("l2", rho), new SgdOptimizer(), 0.02);
        Map<String, INDArray> params = toy.start(0.0, 0.0, 0.0);
        for (int e = 0; e < 1500; e++) {
            toy.epoch(fp, set, params, e);
        }
        double[] m = toy.mean();
        double norm = Math.sqrt(m[0] * m[0] + m[1] * m[1] + m[2] * m[2]);
        double lo = r;
        double hi = norm;
        for (int i = 0; i < 200; i++) {
            double a = (lo + hi) / 2;
            if ((a - norm) + 4 * rho * (a * a - r * r) * a > 0) {
                hi = a;
            } else {
                lo = a;
            }
        }
        double a = (lo + hi) / 2;
        assertTrue(a > r + 0.01, "the penalised minimiser lies outside the ball");
        double[] expected = {m[0] * a / norm, m[1] * a / norm, m[2] * a / norm};
        assertArrayEquals(expected, params.get(MeanToy.PARAMETER).toDoubleVector(), 1e-9);
    }
}
