package dev.constrained4j.losses.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Values and proximal operators by hand, optimality of the proximal operators, the set and the CV metrics. */
class WeightConstraintTest {

    @Test
    void valuesByHand() {
        INDArray w = Nd4j.createFromArray(1.0, -2.0, 3.0);
        // ‖w‖₁ = 6: max(0, 6 − 4) = 2; inside a ball of radius 7: 0
        assertEquals(2.0, new L1Bound(4).value(w), 1e-15);
        assertEquals(0.0, new L1Bound(7).value(w));
        // ‖(3, 4)‖₂² − 3² = 25 − 9 = 16
        assertEquals(16.0, new L2Bound(3).value(Nd4j.createFromArray(3.0, 4.0)), 1e-12);
        // relu(1) + relu(−2) + relu(0.5) for w = (−1, 2, −0.5): 1.5
        assertEquals(1.5, new NonNegativity().value(Nd4j.createFromArray(-1.0, 2.0, -0.5)), 1e-15);
        // the identity is orthogonal; 2·I₂: ‖4I − I‖²_F = 2·9 = 18
        assertEquals(0.0, new Orthogonality().value(Nd4j.eye(3).castTo(w.dataType())), 1e-15);
        assertEquals(18.0, new Orthogonality().value(Nd4j.eye(2).castTo(w.dataType()).muli(2)), 1e-12);
    }

    @Test
    void orthogonalityUsesTheSmallerGramSoThatAWideMatrixCanBeFeasible() {
        // two orthonormal rows of length 3: M Mᵀ = I₂ (feasible), while Mᵀ M − I₃ would have norm² 1
        INDArray m = Nd4j.createFromArray(new double[][]{{1, 0, 0}, {0, 0, 1}});
        assertEquals(0.0, new Orthogonality().value(m), 1e-15);
        assertEquals(0.0, new Orthogonality().value(m.transpose().dup()), 1e-15);
        // a conv kernel [2, 1, 1, 3] with the same rows, reshaped to [out, in·kh·kw]
        assertEquals(0.0, new Orthogonality().value(m.reshape('c', 2, 1, 1, 3)), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new Orthogonality().value(Nd4j.createFromArray(1.0, 2.0)));
    }

    @Test
    void gradientVanishesInsideTheFeasibleSet() {
        INDArray w = Nd4j.createFromArray(0.1, -0.2);
        assertArrayEquals(new double[]{0, 0}, new L1Bound(1).gradient(w).toDoubleVector());
        assertArrayEquals(new double[]{0, 0}, new L2Bound(1).gradient(w).toDoubleVector());
        assertArrayEquals(new double[]{0, -1}, new NonNegativity().gradient(w).toDoubleVector());
    }

    @Test
    void proximalOperatorsByHand() {
        INDArray v = Nd4j.createFromArray(3.0, 1.0, -2.0);
        // L1 ball r = 3: the projection threshold is 1 (sorted 3, 2, 1: (3 + 2 − 3)/2 = 1 < 2, then (6 − 3)/3 = 1 ≥ 1)
        assertEquals(1.0, L1Bound.projectionThreshold(v.toDoubleVector(), 3), 1e-15);
        assertArrayEquals(new double[]{2, 0, -1}, new L1Bound(3).proximal(v, 10).toDoubleVector(), 1e-15);
        // t = 0.5 < 1: the soft threshold S_0.5 = (2.5, 0.5, −1.5), ‖·‖₁ = 4.5 > 3 (outside the ball)
        assertArrayEquals(new double[]{2.5, 0.5, -1.5}, new L1Bound(3).proximal(v, 0.5).toDoubleVector(), 1e-15);
        // r = 0: the paper's ‖w‖₁, plain soft thresholding
        assertArrayEquals(new double[]{2, 0, -1}, new L1Bound(0).proximal(v, 1).toDoubleVector(), 1e-15);
        // L2, v = (3, 4), r = 1: t = 1: max(1/5, 1/3) = 1/3; t = ∞: the scaling onto the ball, v/5
        INDArray u = Nd4j.createFromArray(3.0, 4.0);
        assertArrayEquals(new double[]{1, 4.0 / 3}, new L2Bound(1).proximal(u, 1).toDoubleVector(), 1e-15);
        assertArrayEquals(new double[]{0.6, 0.8}, new L2Bound(1).proximal(u, Double.POSITIVE_INFINITY)
                .toDoubleVector(), 1e-15);
        assertArrayEquals(new double[]{3, 4}, new L2Bound(6).proximal(u, 1).toDoubleVector());
        // non-negativity, t = 0.5: (−2, −0.3, 1) → (−1.5, 0, 1); t = ∞: the clamp (0, 0, 1)
        INDArray n = Nd4j.createFromArray(-2.0, -0.3, 1.0);
        assertArrayEquals(new double[]{-1.5, 0, 1}, new NonNegativity().proximal(n, 0.5).toDoubleVector(), 1e-15);
        assertArrayEquals(new double[]{0, 0, 1}, new NonNegativity().proximal(n, Double.POSITIVE_INFINITY)
                .toDoubleVector(), 1e-15);
    }

    /** The convex kinds: the proximal point minimises {@code t·C(z) + ½‖z − v‖²} against random perturbations. */
    @Test
    void convexProximalPointsAreMinimisers() {
        Random random = new Random(11);
        List<WeightConstraint> kinds = List.of(new L1Bound(1.0), new L1Bound(0), new L2Bound(0.8), new NonNegativity());
        for (WeightConstraint c : kinds) {
            for (double t : new double[]{0.05, 0.3, 2.0}) {
                INDArray v = WeightConstraintGradientCheckTest.point(new long[]{6}, 1.0, random.nextLong());
                INDArray z = c.proximal(v, t);
                ToDoubleFunction<INDArray> objective = x -> t * c.value(x)
                        + 0.5 * Math.pow(x.sub(v).norm2Number().doubleValue(), 2);
                double at = objective.applyAsDouble(z);
                for (int trial = 0; trial < 200; trial++) {
                    INDArray delta = Nd4j.createFromArray(random.doubles(6, -1e-3, 1e-3).toArray());
                    assertTrue(at <= objective.applyAsDouble(z.add(delta)) + 1e-12,
                            c + " at t = " + t + ": a perturbation lowers the proximal objective");
                }
            }
        }
    }

    @Test
    void orthogonalityProximalStepsApproachTheStationaryPoint() {
        INDArray v = WeightConstraintGradientCheckTest.point(new long[]{4, 2, 1, 1}, 0.8, 21);
        double t = 0.1;
        Orthogonality few = new Orthogonality();
        Orthogonality many = new Orthogonality(500);
        ToDoubleFunction<INDArray> objective = x -> t * few.value(x)
                + 0.5 * Math.pow(x.sub(v).norm2Number().doubleValue(), 2);
        assertTrue(objective.applyAsDouble(few.proximal(v, t)) < objective.applyAsDouble(v));
        INDArray z = many.proximal(v, t);
        // stationarity of the proximal objective: t∇C(z) + z − v = 0
        double residual = many.gradient(z).muli(t).addi(z).subi(v).norm2Number().doubleValue();
        assertTrue(residual < 1e-8, "stationarity residual " + residual);
        assertArrayEquals(v.shape(), z.shape());
    }

    @Test
    void theSetNamesValuesAndAccumulatesWeightedGradients() {
        WeightConstraintSet set = WeightConstraintSet.builder()
                .add("l0_W", new L2Bound(1))
                .add("l0_W", new L1Bound(1))
                .add("conv1_W", new NonNegativity())
                .build();
        assertEquals(List.of("l0_W/l2", "l0_W/l1", "conv1_W/nonneg"), set.names());
        Map<String, INDArray> params = new LinkedHashMap<>();
        params.put("l0_W", Nd4j.createFromArray(3.0, 4.0));
        params.put("conv1_W", Nd4j.createFromArray(-1.0, 2.0));
        params.put("l0_b", Nd4j.createFromArray(9.0));
        // C = (25 − 1, 7 − 1, 1)
        assertArrayEquals(new double[]{24, 6, 1}, set.values(params), 1e-12);
        Map<String, INDArray> grads = new LinkedHashMap<>();
        grads.put("l0_W", Nd4j.createFromArray(1.0, 1.0));
        grads.put("conv1_W", Nd4j.createFromArray(0.0, 0.0));
        // 1 + 0.5·2w + 2·sign(w) = 1 + (3, 4) + (2, 2); conv: 3·(−1, 0)
        set.accumulateGradient(params, new double[]{0.5, 2, 3}, grads);
        assertArrayEquals(new double[]{6, 7}, grads.get("l0_W").toDoubleVector(), 1e-12);
        assertArrayEquals(new double[]{-3, 0}, grads.get("conv1_W").toDoubleVector(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> WeightConstraintSet.builder()
                .add("w", new L1Bound(1)).add("w", new L1Bound(2)).build());
        assertThrows(IllegalArgumentException.class, () -> set.values(Map.of("l0_W", Nd4j.createFromArray(1.0))));
    }

    @Test
    void constraintViolationMetricsByHand() {
        double[] c = {3, 4, 0};
        assertEquals(7.0, WeightConstraintSet.violation(c, 1), 1e-15);
        assertEquals(5.0, WeightConstraintSet.violation(c, 2), 1e-15);
        assertEquals(4.0, WeightConstraintSet.violation(c, Double.POSITIVE_INFINITY));
        assertEquals(25.0, WeightConstraintSet.squaredNorm(c), 1e-15);
        // CV(−1) with p = 2: ‖(0.3, 0.4)‖ / ‖(3, 4)‖ = 0.1
        assertEquals(0.1, WeightConstraintSet.relativeViolation(new double[]{0.3, 0.4}, new double[]{3, 4},
                WeightConstraintSet.DEFAULT_P), 1e-15);
        assertTrue(Double.isNaN(WeightConstraintSet.relativeViolation(c, new double[]{0, 0, 0}, 2)));
        assertThrows(IllegalArgumentException.class, () -> WeightConstraintSet.violation(c, 0.5));
    }
}
