package dev.constrained4j.losses.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The switching rule, its tolerance sequence, its steps and its state. */
class SwitchingSubgradientTest {

    @Test
    void toleranceShrinksAsTheSeedPaperSays() {
        SwitchingSubgradient ssw = new SwitchingSubgradient(SwitchingSubgradientConfig.seed(), 1);
        // ε_1 = 0.1, ε_k = ε_{k−1}/√k: ε_2 = 0.1/√2, ε_3 = 0.1/(√2·√3)
        ssw.dualStep(new double[]{-1});
        assertEquals(0.1, ssw.tolerance(), 1e-15);
        ssw.dualStep(new double[]{-1});
        assertEquals(0.1 / Math.sqrt(2), ssw.tolerance(), 1e-15);
        ssw.dualStep(new double[]{-1});
        assertEquals(0.1 / Math.sqrt(2) / Math.sqrt(3), ssw.tolerance(), 1e-15);
    }

    @Test
    void stepsOnTheObjectiveOrOnTheMostViolatedConstraint() {
        SwitchingSubgradient ssw = new SwitchingSubgradient(new SwitchingSubgradientConfig(0.1, 0.5, 0.1), 3);
        double[] v = new double[3];
        INDArray x = Nd4j.createFromArray(1.0, 1.0);
        Map<String, INDArray> params = Map.of("x", x);
        // max c = 0.05 ≤ ε_1 = 0.1: objective step with η^f
        ssw.dualStep(new double[]{0.05, -1, 0});
        assertEquals(1.0, ssw.direction(null, null, v));
        assertArrayEquals(new double[]{0, 0, 0}, v);
        ssw.step(params, Map.of("x", Nd4j.createFromArray(1.0, 2.0)));
        assertArrayEquals(new double[]{0.9, 0.8}, x.toDoubleVector(), 1e-15);
        // max c = 0.2 > ε_2: a step on constraint 2 with η^c
        ssw.dualStep(new double[]{0.05, -1, 0.2});
        assertEquals(0.0, ssw.direction(null, null, v));
        assertArrayEquals(new double[]{0, 0, 1}, v);
        ssw.step(params, Map.of("x", Nd4j.createFromArray(0.2, 0.0)));
        assertArrayEquals(new double[]{0.8, 0.8}, x.toDoubleVector(), 1e-15);
        assertEquals(0.5, ssw.statistics().get(SwitchingSubgradient.OBJECTIVE_SHARE));
    }

    @Test
    void stateRoundTrip() {
        SwitchingSubgradient ssw = new SwitchingSubgradient(SwitchingSubgradientConfig.seed(), 2);
        ssw.dualStep(new double[]{1, 0});
        ssw.dualStep(new double[]{-1, -1});
        SwitchingSubgradient copy = new SwitchingSubgradient(SwitchingSubgradientConfig.seed(), 2);
        copy.restore(ssw.state());
        ssw.dualStep(new double[]{1e-3, 0});
        copy.dualStep(new double[]{1e-3, 0});
        assertEquals(ssw.tolerance(), copy.tolerance());
        assertEquals(ssw.state(), copy.state());
        assertThrows(IllegalArgumentException.class, () -> new SwitchingSubgradientConfig(0, 0.01, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new SwitchingSubgradientConfig(0.01, 0.01, -1));
    }
}
