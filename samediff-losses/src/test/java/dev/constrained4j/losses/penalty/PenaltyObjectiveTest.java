package dev.constrained4j.losses.penalty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.losses.constraint.ReconstructionMseConstraint;
import dev.constrained4j.losses.method.AugmentedLagrangian;
import dev.constrained4j.losses.method.BatchTerms;
import dev.constrained4j.losses.method.ConstrainedMethod;
import dev.constrained4j.losses.method.HeapMultipliers;
import dev.constrained4j.losses.method.PenaltyMethod;
import dev.constrained4j.losses.method.SampleBatch;
import dev.constrained4j.losses.schedule.PenaltySchedule;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The SameDiff objective {@code L_graph = mean_i[ℓ_i + τ·w_i·c_i]} of {@link PenaltyObjective} on a graph of
 * placeholders, in double precision, against numbers computed by hand, with τ and {@code w_i} taken from a
 * constrained method ({@code losses.method}): the method's objective {@code mean_i[ℓ_i + Ψ_i(c_i)]}, the graph's
 * value (the linearisation, which differs from it for every non-linear Ψ), and the graph's gradient, which is the
 * method's gradient: by hand and by central differences of {@code terms(...).objective()}. The gradients of a real
 * network are checked in {@code PenaltyObjectiveGradientCheckTest} (module dl4j-models).
 */
class PenaltyObjectiveTest {

    static final String TASK_LOSS = "task_loss";
    static final String OUTPUT = "output";
    static final String REFERENCE = "reference";
    static final double TOLERANCE = 1e-12;

    static final double BOUND = 0.5;
    static final ReconstructionMseConstraint CONSTRAINT = new ReconstructionMseConstraint(BOUND);
    static final long[] INDICES = {0, 1, 2, 3};
    /** Per-sample task losses ℓ = [0.3, 1.2, 0.7, 2.0]; their mean is 1.05. */
    static final double[][] LOSSES = {{0.3}, {1.2}, {0.7}, {2.0}};
    /**
     * Outputs against a zero reference, so {@code c_i = mean(out_i²)} = [0.1, 1.0, 2.5, 0.18]: two samples
     * below the bound 0.5 and two above, none at the kink. {@code ∂c_i/∂out_ij = 2·out_ij/2 = out_ij}.
     */
    static final double[][] OUTPUTS = {{0.2, 0.4}, {1.0, 1.0}, {2.0, 1.0}, {0.0, 0.6}};
    static final double[] CONSTRAINT_VALUES = {0.1, 1.0, 2.5, 0.18};
    /** Multipliers of the augmented Lagrangian (exact in float): one violated and one satisfied sample have λ > 0. */
    static final float[] MULTIPLIERS = {0f, 0.75f, 0f, 1.5f};

    /** The objective with τ = 2 computed by hand from ℓ and c above, as {@code mean(ℓ + τ·φ(c))}. */
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

    /** The method of a penalty function with τ = 2 (λ = 2 for the fixed penalty). */
    static PenaltyMethod method(PenaltyFunction function) {
        return switch (function) {
            case NONE -> PenaltyMethod.plain();
            case IDENTITY -> PenaltyMethod.fixed(2.0);
            case HINGE, SQUARED_HINGE -> PenaltyMethod.sequential(PenaltySchedule.constant(2.0), function, BOUND);
        };
    }

    /** The augmented Lagrangian with ρ = 2, B = 0.5 and the {@link #MULTIPLIERS}. */
    static AugmentedLagrangian augmentedLagrangian() {
        HeapMultipliers multipliers = new HeapMultipliers(MULTIPLIERS.length);
        for (int i = 0; i < MULTIPLIERS.length; i++) {
            multipliers.set(i, MULTIPLIERS[i]);
        }
        return new AugmentedLagrangian(PenaltySchedule.constant(2.0), Double.NaN, BOUND,
                AugmentedLagrangian.Kind.INEQUALITY, multipliers);
    }

    /**
     * One method and, derived by hand from ℓ and c above: its objective, its coefficient τ and weights
     * {@code w_i}, the graph's value {@code mean(ℓ) + τ·mean(w·c)}, and the graph's gradient
     * {@code ∂L/∂out_ij = τ·w_i/4·out_ij} ({@code ∂L/∂ℓ_i = 1/4} for every method).
     */
    record Case(String name, Supplier<ConstrainedMethod> method, double objective, double coefficient,
                double[] weights, double graphValue, double[][] outputGradient) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // no constraint term: τ = 0, w = 0, the graph's value is mean(ℓ)
                new Case("plain", () -> method(PenaltyFunction.NONE), 1.05, 0.0, new double[]{0, 0, 0, 0}, 1.05,
                        new double[][]{{0, 0}, {0, 0}, {0, 0}, {0, 0}}),
                // w = 1: Ψ is linear, so the graph's value is the objective, 1.05 + 2·mean(c) = 1.05 + 2·0.945;
                // gradient 2/4·out
                new Case("fixed", () -> method(PenaltyFunction.IDENTITY), 2.94, 2.0, new double[]{1, 1, 1, 1},
                        2.94, new double[][]{{0.1, 0.2}, {0.5, 0.5}, {1.0, 0.5}, {0.0, 0.3}}),
                // w = φ' = [0, 1, 1, 0]: graph 1.05 + 2·(1.0 + 2.5)/4 = 1.05 + 1.75; the objective is smaller by
                // τ·B·mean(w) = 0.5. Gradient 2/4·out on the two violating rows
                new Case("hinge", () -> method(PenaltyFunction.HINGE), 2.3, 2.0, new double[]{0, 1, 1, 0}, 2.8,
                        new double[][]{{0, 0}, {0.5, 0.5}, {1.0, 0.5}, {0, 0}}),
                // w = 2·max(0, c − B) = [0, 1, 4, 0]: graph 1.05 + 2·(1·1.0 + 4·2.5)/4 = 1.05 + 5.5;
                // gradient 2·w_i/4·out: row 1 0.5·[1, 1], row 2 2·[2, 1]
                new Case("squared hinge", () -> method(PenaltyFunction.SQUARED_HINGE), 3.175, 2.0,
                        new double[]{0, 1, 4, 0}, 6.55, new double[][]{{0, 0}, {0.5, 0.5}, {4.0, 2.0}, {0, 0}}),
                // ρ = 2, λ = [0, 0.75, 0, 1.5], g = c − B = [−0.4, 0.5, 2.0, −0.32], λ + ρg = [−0.8, 1.75, 4.0, 0.86]:
                // ψ = [−λ²/(2ρ) = 0 (inactive), 0.375 + 0.25, 0 + 4.0, −0.48 + 0.1024] = [0, 0.625, 4.0, −0.3776],
                // objective (4.2 + 4.2474)/4 = 2.11185; w = max(0, λ + ρg) = [0, 1.75, 4.0, 0.86], scale 1;
                // graph 1.05 + (1.75·1.0 + 4.0·2.5 + 0.86·0.18)/4 = 1.05 + 11.9048/4 = 4.0262;
                // gradient w_i/4·out: row 1 0.4375·[1, 1], row 2 1·[2, 1], row 3 0.215·[0, 0.6]
                new Case("augmented Lagrangian", PenaltyObjectiveTest::augmentedLagrangian, 2.11185, 1.0,
                        new double[]{0, 1.75, 4.0, 0.86}, 4.0262,
                        new double[][]{{0, 0}, {0.4375, 0.4375}, {2.0, 1.0}, {0.0, 0.129}}));
    }

    /** The objective with every input a placeholder (values only). */
    static SameDiff objective() {
        SameDiff sd = SameDiff.create();
        SDVariable taskLoss = sd.placeHolder(TASK_LOSS, DataType.DOUBLE, -1, 1);
        SDVariable output = sd.placeHolder(OUTPUT, DataType.DOUBLE, -1, 2);
        SDVariable reference = sd.placeHolder(REFERENCE, DataType.DOUBLE, -1, 2);
        PenaltyObjective.define(sd, taskLoss, CONSTRAINT, output, reference);
        return sd;
    }

    /** The objective with ℓ and the outputs as variables, so that SameDiff gives their gradients. */
    static SameDiff trainable() {
        SameDiff sd = SameDiff.create();
        SDVariable taskLoss = sd.var(TASK_LOSS, Nd4j.createFromArray(LOSSES));
        SDVariable output = sd.var(OUTPUT, Nd4j.createFromArray(OUTPUTS));
        SDVariable reference = sd.placeHolder(REFERENCE, DataType.DOUBLE, -1, 2);
        PenaltyObjective.define(sd, taskLoss, CONSTRAINT, output, reference);
        return sd;
    }

    /** The data placeholders of {@link #objective()}, without the method's. */
    static Map<String, INDArray> data(double[][] losses, double[][] outputs) {
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(TASK_LOSS, Nd4j.createFromArray(losses));
        INDArray out = Nd4j.createFromArray(outputs);
        feed.put(OUTPUT, out);
        feed.put(REFERENCE, Nd4j.zeros(DataType.DOUBLE, out.shape()));
        return feed;
    }

    /** The graph's per-sample c_i for the feed (no method placeholder needed). */
    static double[] constraintValues(SameDiff sd, Map<String, INDArray> feed) {
        Map<String, INDArray> f = new HashMap<>(feed);
        PenaltyObjective.feedNone(f, (int) feed.get(REFERENCE).size(0), DataType.DOUBLE);
        return sd.output(f, PenaltyObjective.CONSTRAINT_VALUES).get(PenaltyObjective.CONSTRAINT_VALUES)
                .reshape(-1).toDoubleVector();
    }

    /** The method's terms for the batch the graph sees: ℓ as given, c from the graph. */
    static SampleBatch batch(SameDiff sd, Map<String, INDArray> feed, long[] indices, double[] losses) {
        return SampleBatch.of(indices, losses, constraintValues(sd, feed));
    }

    static double[] column(double[][] rows) {
        return Stream.of(rows).mapToDouble(r -> r[0]).toArray();
    }

    static double graphValue(SameDiff sd, Map<String, INDArray> feed) {
        INDArray loss = sd.output(feed, PenaltyObjective.LOSS).get(PenaltyObjective.LOSS);
        assertEquals(1, loss.length(), "the objective is a scalar");
        return loss.getDouble(0);
    }

    /** The graph's value with the method's τ and weights for (ℓ, outputs) fed. */
    static double graphValue(SameDiff sd, ConstrainedMethod method, long[] indices, double[][] losses,
                             double[][] outputs) {
        Map<String, INDArray> feed = data(losses, outputs);
        SampleBatch batch = batch(sd, feed, indices, column(losses));
        PenaltyObjective.feed(feed, method.terms(batch), batch, DataType.DOUBLE);
        return graphValue(sd, feed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("golden")
    void methodObjectiveOfTheGraphsConstraintValuesIsTheGoldenValue(Golden g) {
        SameDiff sd = objective();
        SampleBatch batch = batch(sd, data(LOSSES, OUTPUTS), INDICES, column(LOSSES));
        assertEquals(g.expected(), method(g.function()).terms(batch).objective(), TOLERANCE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void methodObjectiveWeightsAndGraphValueEqualTheHandComputation(Case c) {
        SameDiff sd = objective();
        Map<String, INDArray> feed = data(LOSSES, OUTPUTS);
        SampleBatch batch = batch(sd, feed, INDICES, column(LOSSES));
        BatchTerms terms = c.method().get().terms(batch);
        assertEquals(c.objective(), terms.objective(), TOLERANCE, "the method's objective");
        assertEquals(1.0, terms.lossScale(), 0.0);
        assertEquals(c.coefficient(), terms.constraintScale(), 0.0);
        PenaltyObjective.feed(feed, terms, batch, DataType.DOUBLE);
        assertArrayEquals(new double[][]{{c.coefficient()}}, feed.get(PenaltyObjective.COEFFICIENT).toDoubleMatrix());
        assertArrayEquals(new long[]{4, 1}, feed.get(PenaltyObjective.WEIGHTS).shape());
        assertArrayEquals(c.weights(), feed.get(PenaltyObjective.WEIGHTS).reshape(-1).toDoubleVector(), TOLERANCE);
        assertEquals(c.graphValue(), graphValue(sd, feed), TOLERANCE, "the graph's value mean(ℓ) + τ·mean(w·c)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void graphGradientIsTheMethodsGradient(Case c) {
        SameDiff sd = trainable();
        ConstrainedMethod method = c.method().get();
        Map<String, INDArray> feed = new HashMap<>(Map.of(REFERENCE, Nd4j.zeros(DataType.DOUBLE, 4, 2)));
        SampleBatch batch = SampleBatch.of(INDICES, column(LOSSES), constraintValues(sd, feed));
        PenaltyObjective.feed(feed, method.terms(batch), batch, DataType.DOUBLE);
        Map<String, INDArray> gradients = sd.calculateGradients(feed, TASK_LOSS, OUTPUT);

        // by hand
        assertArrayEquals(new double[][]{{0.25}, {0.25}, {0.25}, {0.25}}, gradients.get(TASK_LOSS).toDoubleMatrix());
        double[][] got = gradients.get(OUTPUT).toDoubleMatrix();
        for (int i = 0; i < got.length; i++) {
            assertArrayEquals(c.outputGradient()[i], got[i], TOLERANCE, "row " + i);
        }

        // by central differences of the method's objective, c from the graph: no sample is within h of a kink
        double h = 1e-6;
        int nonZero = 0;
        for (String name : List.of(TASK_LOSS, OUTPUT)) {
            INDArray variable = sd.getVariable(name).getArr();
            INDArray gradient = gradients.get(name);
            for (long k = 0; k < variable.length(); k++) {
                double original = variable.getDouble(k);
                variable.putScalar(k, original + h);
                double plus = methodObjective(sd, method, feed);
                variable.putScalar(k, original - h);
                double minus = methodObjective(sd, method, feed);
                variable.putScalar(k, original);
                double numeric = (plus - minus) / (2 * h);
                assertEquals(numeric, gradient.getDouble(k), 1e-8, name + "[" + k + "]");
                if (Math.abs(numeric) > 1e-3) {
                    nonZero++;
                }
            }
        }
        // the 4 task-loss entries always, and the constraint's entries wherever w_i·out_ij ≠ 0
        long expectedNonZero = 4 + Stream.of(c.outputGradient()).flatMapToDouble(java.util.Arrays::stream)
                .filter(v -> v != 0).count();
        assertEquals(expectedNonZero, nonZero, "entries with a gradient");
    }

    private static double methodObjective(SameDiff sd, ConstrainedMethod method, Map<String, INDArray> feed) {
        double[] losses = sd.getVariable(TASK_LOSS).getArr().reshape(-1).toDoubleVector();
        return method.terms(SampleBatch.of(INDICES, losses, constraintValues(sd, feed))).objective();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void zeroCoefficientGivesThePlainLoss(Case c) {
        SameDiff sd = objective();
        Map<String, INDArray> feed = data(LOSSES, OUTPUTS);
        SampleBatch batch = batch(sd, feed, INDICES, column(LOSSES));
        BatchTerms terms = c.method().get().terms(batch);
        PenaltyObjective.feed(feed, new BatchTerms(terms.objective(), 1.0, 0.0), batch, DataType.DOUBLE);
        assertEquals(1.05, graphValue(sd, feed), TOLERANCE);
        PenaltyObjective.feedNone(feed, 4, DataType.DOUBLE);
        assertEquals(1.05, graphValue(sd, feed), TOLERANCE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void objectiveIsABatchMeanNotASum(Case c) {
        SameDiff sd = objective();
        ConstrainedMethod method = c.method().get();
        double once = graphValue(sd, method, INDICES, LOSSES, OUTPUTS);
        // the same samples twice (the same indices, so the same multipliers)
        double twice = graphValue(sd, method, new long[]{0, 1, 2, 3, 0, 1, 2, 3}, twice(LOSSES), twice(OUTPUTS));
        assertEquals(once, twice, TOLERANCE);
        // and a batch of one is that sample's own term: ℓ_2 + τ·w_2·c_2 for the sample that violates most
        double expected = LOSSES[2][0] + c.coefficient() * c.weights()[2] * CONSTRAINT_VALUES[2];
        assertEquals(expected, graphValue(sd, method, new long[]{2}, new double[][]{LOSSES[2]},
                new double[][]{OUTPUTS[2]}), TOLERANCE);
    }

    private static double[][] twice(double[][] rows) {
        return Stream.concat(Stream.of(rows), Stream.of(rows)).toArray(double[][]::new);
    }

    @Test
    void coefficientAndWeightsChangeBetweenCallsWithoutRebuildingTheGraph() {
        SameDiff sd = objective();
        assertEquals(2.8, graphValue(sd, method(PenaltyFunction.HINGE), INDICES, LOSSES, OUTPUTS), TOLERANCE);
        // hinge weights [0, 1, 1, 0], τ = 5: 1.05 + 5·(1.0 + 2.5)/4 = 1.05 + 4.375
        PenaltyMethod five = PenaltyMethod.sequential(PenaltySchedule.constant(5.0), PenaltyFunction.HINGE, BOUND);
        assertEquals(5.425, graphValue(sd, five, INDICES, LOSSES, OUTPUTS), TOLERANCE);
        // other weights, same graph: the squared hinge's [0, 1, 4, 0], τ = 2 (case "squared hinge")
        assertEquals(6.55, graphValue(sd, method(PenaltyFunction.SQUARED_HINGE), INDICES, LOSSES, OUTPUTS),
                TOLERANCE);
        assertEquals(2.8, graphValue(sd, method(PenaltyFunction.HINGE), INDICES, LOSSES, OUTPUTS), TOLERANCE);
    }

    @Test
    void feedPassesOnlyTheBatchsWeights() {
        // a reused batch with room for 8 samples holds 4: the weights placeholder has 4 rows
        SampleBatch batch = new SampleBatch(8).resize(4);
        System.arraycopy(column(LOSSES), 0, batch.losses(), 0, 4);
        System.arraycopy(CONSTRAINT_VALUES, 0, batch.constraints(), 0, 4);
        java.util.Arrays.fill(batch.weights(), 99.0);
        Map<String, INDArray> feed = new HashMap<>();
        PenaltyObjective.feed(feed, method(PenaltyFunction.SQUARED_HINGE).terms(batch), batch, DataType.FLOAT);
        assertEquals(DataType.FLOAT, feed.get(PenaltyObjective.WEIGHTS).dataType());
        assertArrayEquals(new long[]{4, 1}, feed.get(PenaltyObjective.WEIGHTS).shape());
        assertArrayEquals(new double[]{0, 1, 4, 0},
                feed.get(PenaltyObjective.WEIGHTS).castTo(DataType.DOUBLE).reshape(-1).toDoubleVector(), 0.0);
    }

    @Test
    void feedRefusesALossScaleTheGraphDoesNotHave() {
        SampleBatch batch = SampleBatch.of(INDICES, column(LOSSES), CONSTRAINT_VALUES);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PenaltyObjective.feed(new HashMap<>(), new BatchTerms(1.0, 0.5, 2.0), batch, DataType.DOUBLE));
        assertTrue(e.getMessage().contains("0.5"), e.getMessage());
    }

    @Test
    void constraintValuesAreExposedPerSample() {
        SameDiff sd = objective();
        Map<String, INDArray> feed = data(LOSSES, OUTPUTS);
        PenaltyObjective.feedNone(feed, 4, DataType.DOUBLE);
        INDArray c = sd.output(feed, PenaltyObjective.CONSTRAINT_VALUES).get(PenaltyObjective.CONSTRAINT_VALUES);
        assertArrayEquals(new long[]{4, 1}, c.shape());
        assertArrayEquals(CONSTRAINT_VALUES, c.reshape(-1).toDoubleVector(), TOLERANCE);
    }

    @Test
    void constraintValuesAlreadyInTheGraphGiveTheSameObjective() {
        SameDiff sd = SameDiff.create();
        SDVariable taskLoss = sd.placeHolder(TASK_LOSS, DataType.DOUBLE, -1, 1);
        SDVariable output = sd.placeHolder(OUTPUT, DataType.DOUBLE, -1, 2);
        SDVariable reference = sd.placeHolder(REFERENCE, DataType.DOUBLE, -1, 2);
        PenaltyObjective.define(sd, taskLoss, CONSTRAINT.define(sd, output, reference));
        assertEquals(6.55, graphValue(sd, method(PenaltyFunction.SQUARED_HINGE), INDICES, LOSSES, OUTPUTS),
                TOLERANCE);
    }

    @Test
    void noConstraintNeedsNoPlaceholders() {
        SameDiff sd = SameDiff.create();
        SDVariable taskLoss = sd.placeHolder(TASK_LOSS, DataType.DOUBLE, -1, 1);
        SDVariable loss = PenaltyObjective.define(sd, taskLoss, null, null, null);
        assertEquals(PenaltyObjective.LOSS, loss.name());
        assertFalse(sd.hasVariable(PenaltyObjective.COEFFICIENT));
        assertFalse(sd.hasVariable(PenaltyObjective.WEIGHTS));
        assertFalse(sd.hasVariable(PenaltyObjective.CONSTRAINT_VALUES));
        double value = sd.output(Map.of(TASK_LOSS, Nd4j.createFromArray(LOSSES)), PenaltyObjective.LOSS)
                .get(PenaltyObjective.LOSS).getDouble(0);
        assertEquals(1.05, value, TOLERANCE);
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
