package dev.constrained4j.losses.penalty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.constrained4j.losses.constraint.ReconstructionMseConstraint;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Values of the penalised objective {@code mean_i[ℓ_i + τ·φ(c_i)]} (SPEC §2) on a graph of placeholders, in
 * double precision, against numbers computed by hand. The gradients are checked in
 * {@code PenaltyObjectiveGradientCheckTest} (module dl4j-models).
 */
class PenaltyObjectiveTest {

    static final String TASK_LOSS = "task_loss";
    static final String OUTPUT = "output";
    static final String REFERENCE = "reference";
    static final double TOLERANCE = 1e-12;

    static final ReconstructionMseConstraint CONSTRAINT = new ReconstructionMseConstraint(0.5);
    /** Per-sample task losses ℓ = [0.3, 1.2, 0.7, 2.0]; their mean is 1.05. */
    static final double[][] LOSSES = {{0.3}, {1.2}, {0.7}, {2.0}};
    /**
     * Outputs against a zero reference, so {@code c_i = mean(out_i²)} = [0.1, 1.0, 2.5, 0.18]: two samples
     * below the bound 0.5 and two above, none at the kink.
     */
    static final double[][] OUTPUTS = {{0.2, 0.4}, {1.0, 1.0}, {2.0, 1.0}, {0.0, 0.6}};
    static final double[] CONSTRAINT_VALUES = {0.1, 1.0, 2.5, 0.18};

    /** The objective with τ = 2 computed by hand from ℓ and c above. */
    record Golden(PenaltyFunction function, double expected) {
    }

    static Stream<Golden> golden() {
        return Stream.of(
                // mean(ℓ)
                new Golden(PenaltyFunction.NONE, 1.05),
                // mean([0.3 + 0.2, 1.2 + 2.0, 0.7 + 5.0, 2.0 + 0.36]) = 11.76 / 4
                new Golden(PenaltyFunction.IDENTITY, 2.94),
                // hinge [0, 0.5, 2.0, 0]: mean([0.3, 2.2, 4.7, 2.0]) = 9.2 / 4
                new Golden(PenaltyFunction.HINGE, 2.3),
                // squared hinge [0, 0.25, 4.0, 0]: mean([0.3, 1.7, 8.7, 2.0]) = 12.7 / 4
                new Golden(PenaltyFunction.SQUARED_HINGE, 3.175));
    }

    static SameDiff objective(PenaltyFunction function) {
        SameDiff sd = SameDiff.create();
        SDVariable taskLoss = sd.placeHolder(TASK_LOSS, DataType.DOUBLE, -1, 1);
        SDVariable output = sd.placeHolder(OUTPUT, DataType.DOUBLE, -1, 2);
        SDVariable reference = sd.placeHolder(REFERENCE, DataType.DOUBLE, -1, 2);
        PenaltyObjective.define(sd, taskLoss, function, CONSTRAINT, output, reference);
        return sd;
    }

    static Map<String, INDArray> feed(SameDiff sd, double[][] losses, double[][] outputs, double tau) {
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(TASK_LOSS, Nd4j.createFromArray(losses));
        INDArray out = Nd4j.createFromArray(outputs);
        feed.put(OUTPUT, out);
        feed.put(REFERENCE, Nd4j.zeros(DataType.DOUBLE, out.shape()));
        if (sd.hasVariable(PenaltyObjective.COEFFICIENT)) {
            feed.put(PenaltyObjective.COEFFICIENT, Nd4j.createFromArray(new double[][]{{tau}}));
        }
        return feed;
    }

    static double value(SameDiff sd, double[][] losses, double[][] outputs, double tau) {
        INDArray loss = sd.output(feed(sd, losses, outputs, tau), PenaltyObjective.LOSS).get(PenaltyObjective.LOSS);
        assertEquals(1, loss.length(), "the objective is a scalar");
        return loss.getDouble(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("golden")
    void objectiveEqualsTheHandComputation(Golden g) {
        assertEquals(g.expected(), value(objective(g.function()), LOSSES, OUTPUTS, 2.0), TOLERANCE);
    }

    @ParameterizedTest
    @EnumSource(PenaltyFunction.class)
    void zeroCoefficientGivesThePlainLoss(PenaltyFunction function) {
        double plain = value(objective(PenaltyFunction.NONE), LOSSES, OUTPUTS, 0.0);
        assertEquals(1.05, plain, TOLERANCE);
        assertEquals(plain, value(objective(function), LOSSES, OUTPUTS, 0.0), TOLERANCE);
    }

    @ParameterizedTest
    @EnumSource(PenaltyFunction.class)
    void objectiveIsABatchMeanNotASum(PenaltyFunction function) {
        SameDiff sd = objective(function);
        double once = value(sd, LOSSES, OUTPUTS, 2.0);
        double twice = value(sd, twice(LOSSES), twice(OUTPUTS), 2.0);
        assertEquals(once, twice, TOLERANCE);
        // and a batch of one is that sample's own term: ℓ_1 + τ·φ(c_1) for the sample that violates most
        double[][] one = {OUTPUTS[2]};
        double expected = LOSSES[2][0] + 2.0 * function.apply(CONSTRAINT_VALUES[2], CONSTRAINT.bound());
        assertEquals(expected, value(sd, new double[][]{LOSSES[2]}, one, 2.0), TOLERANCE);
    }

    private static double[][] twice(double[][] rows) {
        return Stream.concat(Stream.of(rows), Stream.of(rows)).toArray(double[][]::new);
    }

    @Test
    void coefficientChangesBetweenCallsWithoutRebuildingTheGraph() {
        SameDiff sd = objective(PenaltyFunction.HINGE);
        assertEquals(2.3, value(sd, LOSSES, OUTPUTS, 2.0), TOLERANCE);
        // hinge [0, 0.5, 2.0, 0], τ = 5: mean([0.3, 3.7, 10.7, 2.0]) = 16.7 / 4
        assertEquals(4.175, value(sd, LOSSES, OUTPUTS, 5.0), TOLERANCE);
        assertEquals(2.3, value(sd, LOSSES, OUTPUTS, 2.0), TOLERANCE);
    }

    @Test
    void constraintValuesAreExposedPerSample() {
        SameDiff sd = objective(PenaltyFunction.HINGE);
        INDArray c = sd.output(feed(sd, LOSSES, OUTPUTS, 1.0), PenaltyObjective.CONSTRAINT_VALUES)
                .get(PenaltyObjective.CONSTRAINT_VALUES);
        assertArrayEquals(new long[]{4, 1}, c.shape());
        assertArrayEquals(CONSTRAINT_VALUES, c.reshape(-1).toDoubleVector(), TOLERANCE);
    }

    @Test
    void noneNeedsNoConstraintAndNoCoefficient() {
        SameDiff sd = SameDiff.create();
        SDVariable taskLoss = sd.placeHolder(TASK_LOSS, DataType.DOUBLE, -1, 1);
        SDVariable loss = PenaltyObjective.define(sd, taskLoss, PenaltyFunction.NONE, null, null, null);
        assertEquals(PenaltyObjective.LOSS, loss.name());
        assertFalse(sd.hasVariable(PenaltyObjective.COEFFICIENT));
        double value = sd.output(Map.of(TASK_LOSS, Nd4j.createFromArray(LOSSES)), PenaltyObjective.LOSS)
                .get(PenaltyObjective.LOSS).getDouble(0);
        assertEquals(1.05, value, TOLERANCE);
    }

    @Test
    void aPenaltyWithoutAConstraintIsRefused() {
        SameDiff sd = SameDiff.create();
        SDVariable taskLoss = sd.placeHolder(TASK_LOSS, DataType.DOUBLE, -1, 1);
        assertThrows(NullPointerException.class,
                () -> PenaltyObjective.define(sd, taskLoss, PenaltyFunction.HINGE, null, taskLoss, taskLoss));
    }

    @Test
    void softmaxCrossEntropyIsMinusLogSoftmaxOfTheTrueClass() {
        // rows include large logits, where a naive exp would overflow in float
        double[][] logits = {{1.0, 2.0, 0.5, -1.0}, {30.0, -20.0, 29.0, 0.0}, {0.0, 0.0, 0.0, 0.0}};
        int[] classes = {1, 2, 3};
        double[][] oneHot = new double[logits.length][logits[0].length];
        for (int i = 0; i < classes.length; i++) {
            oneHot[i][classes[i]] = 1.0;
        }
        SameDiff sd = SameDiff.create();
        SDVariable z = sd.placeHolder("logits", DataType.DOUBLE, -1, 4);
        SDVariable y = sd.placeHolder("labels", DataType.DOUBLE, -1, 4);
        SDVariable ce = PenaltyObjective.softmaxCrossEntropy(sd, z, y);
        INDArray actual = sd.output(Map.of("logits", Nd4j.createFromArray(logits), "labels",
                Nd4j.createFromArray(oneHot)), ce.name()).get(ce.name());
        assertArrayEquals(new long[]{3, 1}, actual.shape());
        for (int i = 0; i < logits.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : logits[i]) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : logits[i]) {
                sum += Math.exp(v - max);
            }
            double expected = max + Math.log(sum) - logits[i][classes[i]];
            assertEquals(expected, actual.getDouble(i, 0), TOLERANCE, "row " + i);
        }
        // the uniform row: -log(1/4)
        assertEquals(Math.log(4), actual.getDouble(2, 0), TOLERANCE);
    }
}
