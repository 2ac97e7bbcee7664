package dev.constrained4j.models.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.losses.constraint.ReconstructionMseConstraint;
import dev.constrained4j.losses.method.AugmentedLagrangian;
import dev.constrained4j.losses.method.BatchTerms;
import dev.constrained4j.losses.method.ConstrainedMethod;
import dev.constrained4j.losses.method.HeapMultipliers;
import dev.constrained4j.losses.method.PenaltyMethod;
import dev.constrained4j.losses.method.SampleBatch;
import dev.constrained4j.losses.penalty.PenaltyFunction;
import dev.constrained4j.losses.penalty.PenaltyObjective;
import dev.constrained4j.losses.schedule.PenaltySchedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Central finite differences of a constrained method's objective {@code mean_i[CE_i + Ψ_i(recon_mse_i)]}
 * ({@code ConstrainedMethod.terms(...).objective()}, computed from the graph's per-sample {@code ℓ_i} and
 * {@code c_i}) against SameDiff's gradient of the graph of {@link PenaltyObjective}, {@code mean_i[ℓ_i + τ·w_i·c_i]}
 * with τ and the weights {@code w_i} taken from the method at the current parameters and held fixed, on a tiny
 * classifier-decoder, for every parameter entry, in double precision: plain, fixed, hinge and squared-hinge
 * penalties and the per-sample augmented Lagrangian. Guards against the silent gradient bugs of DL4J M2.1 (issue
 * #9026: per-sample loss ops that ignore the incoming gradient; broadcast multiplies that only propagate to row 0)
 * and checks that the graph's linearisation has the method's gradient. DL4J's {@code GradCheckUtil} cannot be
 * used: it throws on graphs with placeholders.
 *
 * <p>Everything is built in double explicitly; the global default data type is not changed.
 */
class PenaltyObjectiveGradientCheckTest {

    static final MnistModelConfig CONFIG = new MnistModelConfig(6, 5, 3, 4);
    static final int BATCH = 5;
    static final String TASK_LOSS = "task_loss";
    static final double TAU = 3.7;
    /** ρ of the augmented Lagrangian: its terms {@code ρ·g·∇c} are then of the size of the penalties'. */
    static final double RHO = 20;
    /** Step of the central difference: truncation error ~h², round-off ~ε·|f|/h, both far below 1e-5·|g|. */
    static final double H = 1e-6;
    static final double MAX_RELATIVE_ERROR = 1e-5;
    /**
     * Absolute floor of the comparison: the central difference of an objective of size ~2 carries a round-off
     * error of about ε·|f|/h ≈ 1e-10 (measured: up to 1.2e-10), so entries whose gradient is below ~1e-4
     * cannot be checked to a relative 1e-5. A gradient bug of the #9026 kind is off by the size of the
     * gradient itself (~1e-2 here), far above this floor.
     */
    static final double ABSOLUTE_FLOOR = 1e-9;
    /** Entries whose gradient is at least this large are checked to the relative tolerance alone. */
    static final double SIGNIFICANT = ABSOLUTE_FLOOR / MAX_RELATIVE_ERROR;
    /** No sample may sit closer than this to a kink of its Ψ (the check would then straddle it). */
    static final double KINK_MARGIN = 1e-4;

    /**
     * A method, built from the bound placed between the batch's constraint values and from those values (the
     * augmented Lagrangian chooses its multipliers from them), and the seed of the model and batch.
     */
    record Case(String name, long seed, BiFunction<Double, double[], ConstrainedMethod> method) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("plain", 14, (bound, c) -> PenaltyMethod.plain()),
                new Case("fixed", 13, (bound, c) -> PenaltyMethod.fixed(TAU)),
                new Case("hinge", 11, (bound, c) -> PenaltyMethod.sequential(PenaltySchedule.constant(TAU),
                        PenaltyFunction.HINGE, bound)),
                new Case("squared hinge", 12, (bound, c) -> PenaltyMethod.sequential(PenaltySchedule.constant(TAU),
                        PenaltyFunction.SQUARED_HINGE, bound)),
                new Case("augmented Lagrangian", 15, PenaltyObjectiveGradientCheckTest::augmentedLagrangian));
    }

    /**
     * The per-sample augmented Lagrangian with ρ = {@value #RHO} and multipliers that exercise every branch of ψ
     * away from its kinks: violated samples alternately λ = 0 and λ = 0.5; satisfied samples (g < 0) in turn
     * λ = 2ρ|g| (active: g > −λ/ρ, so w > 0 on a satisfied sample), λ = 0 (inactive, ψ = 0) and λ = ρ|g|/2
     * (inactive, ψ = −λ²/(2ρ) constant). Each kink is then |g|/2 or more from its sample, and |g| is at least half
     * the widest gap.
     */
    static AugmentedLagrangian augmentedLagrangian(double bound, double[] c) {
        HeapMultipliers multipliers = new HeapMultipliers(c.length);
        int violated = 0;
        int satisfied = 0;
        for (int i = 0; i < c.length; i++) {
            double g = c[i] - bound;
            double lambda = g > 0 ? (violated++ % 2 == 0 ? 0.0 : 0.5)
                    : switch (satisfied++ % 3) {
                        case 0 -> 2 * RHO * -g;
                        case 1 -> 0.0;
                        default -> RHO * -g / 2;
                    };
            multipliers.set(i, (float) lambda);
        }
        return new AugmentedLagrangian(PenaltySchedule.constant(RHO), Double.NaN, bound,
                AugmentedLagrangian.Kind.INEQUALITY, multipliers);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientOfEveryParameterEntryMatchesCentralDifferencesOfTheMethodsObjective(Case c) {
        List<String> layers = new ArrayList<>(MnistClassifierDecoder.ENCODER_LAYERS);
        layers.addAll(MnistClassifierDecoder.DECODER_LAYERS);
        Map<String, INDArray> initial = MnistClassifierDecoder.initialParameters(CONFIG, layers, c.seed(),
                DataType.DOUBLE);
        SameDiff sd = MnistClassifierDecoder.sameDiff(CONFIG, initial, true, DataType.DOUBLE);

        Random random = new Random(c.seed());
        double[][] x = new double[BATCH][CONFIG.inputs()];
        double[][] y = new double[BATCH][CONFIG.classes()];
        for (int i = 0; i < BATCH; i++) {
            for (int j = 0; j < CONFIG.inputs(); j++) {
                x[i][j] = random.nextDouble();
            }
            y[i][random.nextInt(CONFIG.classes())] = 1.0;
        }
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(MnistClassifierDecoder.INPUT, Nd4j.createFromArray(x));
        feed.put(MnistClassifierDecoder.LABELS, Nd4j.createFromArray(y));

        // a bound in the widest gap between the per-sample values, so that some samples violate the
        // constraint, some do not, and none sits within a finite-difference step of the hinge's kink
        INDArray reconstruction = sd.output(feed, MnistClassifierDecoder.RECONSTRUCTION)
                .get(MnistClassifierDecoder.RECONSTRUCTION);
        double[] values = new ReconstructionMseConstraint(0)
                .evaluate(reconstruction, feed.get(MnistClassifierDecoder.INPUT)).toDoubleVector();
        double bound = boundInWidestGap(values);
        long violating = Arrays.stream(values).filter(v -> v > bound).count();
        assertTrue(violating >= 1 && violating <= BATCH - 1, "violating " + violating + " of " + BATCH);
        for (double v : values) {
            assertTrue(Math.abs(v - bound) > KINK_MARGIN, "sample at " + v + " too close to the bound " + bound);
        }

        SDVariable taskLoss = PenaltyObjective.softmaxCrossEntropy(sd, sd.getVariable(MnistClassifierDecoder.LOGITS),
                sd.getVariable(MnistClassifierDecoder.LABELS)).rename(TASK_LOSS);
        PenaltyObjective.define(sd, taskLoss, new ReconstructionMseConstraint(bound),
                sd.getVariable(MnistClassifierDecoder.RECONSTRUCTION), sd.getVariable(MnistClassifierDecoder.INPUT));

        // the method's weights at the current parameters, held fixed while the graph's gradient is taken
        ConstrainedMethod method = c.method().apply(bound, values);
        SampleBatch batch = forward(sd, feed);
        assertEquals(0.0, maxDifference(values, Arrays.copyOf(batch.constraints(), BATCH)), 1e-12,
                "the graph's c_i are the constraint's");
        BatchTerms terms = method.terms(batch);
        double[] weights = Arrays.copyOf(batch.weights(), BATCH);
        if (method instanceof AugmentedLagrangian alm) {
            requireEveryBranch(alm, bound, values, weights);
        }
        PenaltyObjective.feed(feed, terms, batch, DataType.DOUBLE);

        String[] names = initial.keySet().toArray(String[]::new);
        Map<String, INDArray> gradients = sd.calculateGradients(feed, names);
        int checked = 0;
        int trained = 0;
        int significant = 0;
        List<String> failures = new ArrayList<>();
        for (String name : names) {
            INDArray gradient = gradients.get(name);
            INDArray parameter = sd.getVariable(name).getArr();
            assertEquals(DataType.DOUBLE, parameter.dataType(), name);
            assertEquals(Arrays.toString(parameter.shape()), Arrays.toString(gradient.shape()), name);
            boolean decoder = MnistClassifierDecoder.DECODER_LAYERS.stream().anyMatch(l -> name.startsWith(l + "_"));
            for (long k = 0; k < parameter.length(); k++) {
                double original = parameter.getDouble(k);
                parameter.putScalar(k, original + H);
                double plus = objective(sd, feed, method);
                parameter.putScalar(k, original - H);
                double minus = objective(sd, feed, method);
                parameter.putScalar(k, original);
                double numeric = (plus - minus) / (2 * H);
                double analytic = gradient.getDouble(k);
                double scale = Math.max(Math.abs(numeric), Math.abs(analytic));
                double error = Math.abs(numeric - analytic);
                boolean ok = error <= MAX_RELATIVE_ERROR * scale || error <= ABSOLUTE_FLOOR;
                if (!method.usesConstraint() && decoder) {
                    // the decoder is not in a plain objective: exactly no gradient
                    ok = analytic == 0.0 && numeric == 0.0;
                } else {
                    trained++;
                }
                if (!ok) {
                    failures.add(name + "[" + k + "]: analytic " + analytic + ", numeric " + numeric);
                }
                checked++;
                if (scale >= SIGNIFICANT) {
                    significant++;
                }
            }
        }
        assertEquals(125, checked, "every parameter entry of the 6/5/3/4 model");
        assertTrue(failures.isEmpty(), failures.size() + " of " + checked + " entries differ:\n"
                + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
        // the check is not vacuous: most entries the objective depends on have a gradient checked to the relative
        // tolerance
        assertTrue(significant > trained / 2,
                "only " + significant + " of " + trained + " gradient entries are above " + SIGNIFICANT);
    }

    /**
     * The augmented Lagrangian's batch has a multiplier of 0 and a positive one, a zero and a positive weight, and
     * weights that differ between samples; no sample is within {@link #KINK_MARGIN} of the kink
     * {@code g = −λ/ρ} of its ψ.
     */
    private static void requireEveryBranch(AugmentedLagrangian alm, double bound, double[] c, double[] weights) {
        double[] lambda = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            lambda[i] = alm.multipliers().get(i);
            double kink = bound - lambda[i] / RHO;
            assertTrue(Math.abs(c[i] - kink) > KINK_MARGIN, "sample " + i + " at " + c[i] + ", kink at " + kink);
        }
        String state = "λ = " + Arrays.toString(lambda) + ", w = " + Arrays.toString(weights);
        assertTrue(Arrays.stream(lambda).anyMatch(l -> l == 0) && Arrays.stream(lambda).anyMatch(l -> l > 0), state);
        assertTrue(Arrays.stream(weights).anyMatch(w -> w == 0), state);
        assertTrue(Arrays.stream(weights).filter(w -> w > 0).distinct().count() >= 2, state);
        // a satisfied sample whose positive multiplier keeps it active
        boolean activeSatisfied = false;
        for (int i = 0; i < c.length; i++) {
            activeSatisfied |= c[i] < bound && weights[i] > 0;
        }
        assertTrue(activeSatisfied, state);
    }

    /** The graph's per-sample ℓ_i and c_i for the batch (samples 0 … b−1), as the method's batch. */
    private static SampleBatch forward(SameDiff sd, Map<String, INDArray> feed) {
        Map<String, INDArray> f = new HashMap<>(feed);
        PenaltyObjective.feedNone(f, BATCH, DataType.DOUBLE);
        Map<String, INDArray> out = sd.output(f, TASK_LOSS, PenaltyObjective.CONSTRAINT_VALUES);
        return SampleBatch.of(LongStream.range(0, BATCH).toArray(), out.get(TASK_LOSS).reshape(-1).toDoubleVector(),
                out.get(PenaltyObjective.CONSTRAINT_VALUES).reshape(-1).toDoubleVector());
    }

    /** The method's objective at the graph's current parameters. */
    private static double objective(SameDiff sd, Map<String, INDArray> feed, ConstrainedMethod method) {
        return method.terms(forward(sd, feed)).objective();
    }

    private static double maxDifference(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** The midpoint of the widest gap between consecutive sorted values. */
    private static double boundInWidestGap(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int best = 0;
        for (int i = 1; i + 1 < sorted.length; i++) {
            if (sorted[i + 1] - sorted[i] > sorted[best + 1] - sorted[best]) {
                best = i;
            }
        }
        return (sorted[best] + sorted[best + 1]) / 2;
    }
}
