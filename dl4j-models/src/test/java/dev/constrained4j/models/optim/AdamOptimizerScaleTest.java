package dev.constrained4j.models.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ndarray.INDArray;

class AdamOptimizerScaleTest {

    /**
     * Adam's first step is {@code −lr·g/(|g| + ε)} per element (m̂ = g, v̂ = g²): with lr = 0.01 scaled by 0.1 it moves
     * every parameter by 1e-3 against its gradient's sign, then by 1e-2 again once the scale is back to 1 (second
     * step, same gradient: m̂ = g, v̂ = g² again).
     */
    @Test
    void theScaleMultipliesTheConfiguredRate() {
        AdamOptimizer adam = new AdamOptimizer(0.01);
        INDArray w = Nd4j.createFromArray(1.0, 2.0, 3.0);
        Map<String, INDArray> params = Map.of("w", w);
        Map<String, INDArray> gradients = Map.of("w", Nd4j.createFromArray(0.5, -2.0, 4.0));
        adam.scaleLearningRate(0.1);
        adam.step(params, gradients);
        assertArrayEquals(new double[]{1.0 - 1e-3, 2.0 + 1e-3, 3.0 - 1e-3}, w.toDoubleVector(), 1e-9);
        adam.scaleLearningRate(1.0);
        adam.step(params, gradients);
        assertArrayEquals(new double[]{1.0 - 0.011, 2.0 + 0.011, 3.0 - 0.011}, w.toDoubleVector(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> adam.scaleLearningRate(0));
    }
}
