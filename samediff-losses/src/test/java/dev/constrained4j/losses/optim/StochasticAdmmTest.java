package dev.constrained4j.losses.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.constrained4j.losses.method.MethodState;
import dev.constrained4j.losses.weights.L1Bound;
import dev.constrained4j.losses.weights.L2Bound;
import dev.constrained4j.losses.weights.NonNegativity;
import dev.constrained4j.losses.weights.WeightConstraintSet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** S-ADMM's step by hand (seed 002 eqs. 11, 12, 14), convergence on the least-squares toy, and an exact resume. */
class StochasticAdmmTest {

    @Test
    void oneStepByHand() {
        WeightConstraintSet set = WeightConstraintSet.builder().add("w", new L2Bound(1)).build();
        StochasticAdmm admm = new StochasticAdmm(new StochasticAdmmConfig(2.0, 0.1, 0.0), set);
        assertEquals(1.0, admm.direction(new double[]{3}, null, new double[1]));
        double[] weights = {5};
        admm.direction(new double[]{3}, null, weights);
        assertArrayEquals(new double[]{0}, weights);
        Map<String, INDArray> params = new LinkedHashMap<>();
        params.put("w", Nd4j.createFromArray(1.0, 2.0));
        params.put("b", Nd4j.createFromArray(1.0));
        admm.step(params, Map.of("w", Nd4j.createFromArray(0.5, -1.0), "b", Nd4j.createFromArray(2.0)));
        // μ_0 = θ_0 = (1, 2), u_0 = 0: θ_1 = (θ_0 − ηg + ηρ(μ_0 − u_0))/(1 + ηρ) = ((0.95, 2.1) + 0.2·(1, 2))/1.2
        double[] theta = {1.15 / 1.2, 2.5 / 1.2};
        assertArrayEquals(theta, params.get("w").toDoubleVector(), 1e-15);
        // μ_1 = prox_{C/ρ}(θ_1 + u_0), C = max(0, ‖μ‖² − 1), t = 1/ρ = 0.5: scale max(1/‖θ_1‖, 1/(1 + 2t)) = 0.5
        double norm = Math.hypot(theta[0], theta[1]);
        double scale = Math.max(1 / norm, 0.5);
        double[] mu = {theta[0] * scale, theta[1] * scale};
        assertArrayEquals(mu, admm.splitVariables().get("w").toDoubleVector(), 1e-15);
        // u_1 = u_0 + θ_1 − μ_1
        assertArrayEquals(new double[]{theta[0] - mu[0], theta[1] - mu[1]},
                admm.scaledMultipliers().get("w").toDoubleVector(), 1e-15);
        // an unconstrained parameter takes θ − ηg = 1 − 0.1·2
        assertArrayEquals(new double[]{0.8}, params.get("b").toDoubleVector(), 1e-15);
    }

    /**
     * Full-batch steps: S-ADMM solves min F(w) + C(w) with C = max(0, ‖w‖² − r²) unweighted (the paper's C(μ)); its
     * minimiser is the projection r·x̄/‖x̄‖ when the multiplier it needs, λ* = (‖x̄‖/r − 1)/2 ≈ 0.5, is at most 1
     * (the hinge's slope), which holds here. Linearised ADMM with η = 0.5, ρ = 1 contracts; 400 steps reach 1e-6.
     */
    @Test
    void fullBatchStepsReachTheProjectedSolution() {
        MeanToy toy = new MeanToy(new double[]{2, -1, 2}, 64, 0.5, 64, 3);
        WeightConstraintSet set = WeightConstraintSet.builder().add(MeanToy.PARAMETER, new L2Bound(1.5)).build();
        StochasticAdmm admm = new StochasticAdmm(new StochasticAdmmConfig(1.0, 0.5, 0.0), set);
        Map<String, INDArray> params = toy.start(0.0, 0.0, 0.0);
        for (int e = 0; e < 400; e++) {
            toy.epoch(admm, set, params, e);
        }
        double[] expected = toy.projectedSolution(1.5);
        assertArrayEquals(expected, params.get(MeanToy.PARAMETER).toDoubleVector(), 1e-6);
        assertArrayEquals(expected, admm.splitVariables().get(MeanToy.PARAMETER).toDoubleVector(), 1e-6);
    }

    /**
     * Batches of 8 with η_k = 0.2/√(k + 1) (Ouyang et al.'s rate) over 40 epochs (1,280 steps, the last η ≈ 0.006):
     * within 0.03 of the projection (the batch noise at the last step sizes is about 0.01).
     */
    @Test
    void stochasticStepsApproachTheProjectedSolution() {
        MeanToy toy = new MeanToy(new double[]{2, -1, 2}, 256, 0.5, 8, 4);
        WeightConstraintSet set = WeightConstraintSet.builder().add(MeanToy.PARAMETER, new L2Bound(1.5)).build();
        StochasticAdmm admm = new StochasticAdmm(new StochasticAdmmConfig(1.0, 0.2, 0.5), set);
        Map<String, INDArray> params = toy.start(0.0, 0.0, 0.0);
        for (int e = 0; e < 40; e++) {
            toy.epoch(admm, set, params, e);
        }
        assertArrayEquals(toy.projectedSolution(1.5), params.get(MeanToy.PARAMETER).toDoubleVector(), 0.03);
    }

    @Test
    void resumesExactly() throws IOException {
        MeanToy toy = new MeanToy(new double[]{2, -1, 2}, 64, 0.5, 8, 5);
        WeightConstraintSet set = WeightConstraintSet.builder().add(MeanToy.PARAMETER, new L1Bound(2))
                .add(MeanToy.PARAMETER, new NonNegativity()).build();
        StochasticAdmmConfig config = new StochasticAdmmConfig(2.0, 0.1, 0.5);
        StochasticAdmm straight = new StochasticAdmm(config, set);
        Map<String, INDArray> a = toy.start(0.1, 0.2, 0.3);
        for (int e = 0; e < 4; e++) {
            toy.epoch(straight, set, a, e);
        }
        StochasticAdmm first = new StochasticAdmm(config, set);
        Map<String, INDArray> b = toy.start(0.1, 0.2, 0.3);
        for (int e = 0; e < 2; e++) {
            toy.epoch(first, set, b, e);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            first.state().write(out);
            first.writePrimal(out);
        }
        StochasticAdmm resumed = new StochasticAdmm(config, set);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            resumed.restore(MethodState.read(in, null));
            resumed.readPrimal(in);
        }
        for (int e = 2; e < 4; e++) {
            toy.epoch(resumed, set, b, e);
        }
        assertArrayEquals(a.get(MeanToy.PARAMETER).toDoubleVector(), b.get(MeanToy.PARAMETER).toDoubleVector(), 0.0);
        assertArrayEquals(straight.splitVariables().get(MeanToy.PARAMETER).toDoubleVector(),
                resumed.splitVariables().get(MeanToy.PARAMETER).toDoubleVector(), 0.0);
        assertArrayEquals(straight.scaledMultipliers().get(MeanToy.PARAMETER).toDoubleVector(),
                resumed.scaledMultipliers().get(MeanToy.PARAMETER).toDoubleVector(), 0.0);
    }
}
