package dev.constrained4j.losses.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.losses.method.AugmentedLagrangian.Kind;
import dev.constrained4j.losses.penalty.PenaltyFunction;
import dev.constrained4j.losses.schedule.PenaltySchedule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The per-sample augmented Lagrangian ({@code docs/methods.md}): ψ of Nocedal &amp; Wright eq. 17.65 and its slope
 * against values derived by hand, the batch terms and dual step of the {@link ConstrainedMethod} contract, the ρ
 * schedule and the state round trip. The convergence to known solutions is in {@link KnownAnswerTest}.
 */
class AugmentedLagrangianTest {

    static final double EXACT = 0.0;
    static final double TOLERANCE = 1e-12;

    /** One value of ψ(g, λ, ρ) and ∂ψ/∂g, derived by hand in {@link #golden()}. */
    record Golden(double g, double lambda, double rho, Kind kind, double psi, double slope) {
        @Override
        public String toString() {
            return kind + " g=" + g + " λ=" + lambda + " ρ=" + rho;
        }
    }

    static Stream<Golden> golden() {
        return Stream.of(
                // λ + ρg = 1 + 2·0.5 = 2 ≥ 0: ψ = 1·0.5 + 2·0.25/2 = 0.75, slope 2
                new Golden(0.5, 1, 2, Kind.INEQUALITY, 0.75, 2),
                // satisfied but near: λ + ρg = 1 − 0.5 = 0.5 ≥ 0: ψ = −0.25 + 2·0.0625/2 = −0.1875, slope 0.5
                new Golden(-0.25, 1, 2, Kind.INEQUALITY, -0.1875, 0.5),
                // λ + ρg = 1 − 2 = −1 < 0: ψ = −λ²/(2ρ) = −1/4, slope 0
                new Golden(-1, 1, 2, Kind.INEQUALITY, -0.25, 0),
                // λ + ρg = 0.5 − 12 < 0: ψ = −0.25/8 = −0.03125, slope 0
                new Golden(-3, 0.5, 4, Kind.INEQUALITY, -0.03125, 0),
                // λ = 0, violated: ψ = ρg²/2 = 3·4/2 = 6, slope ρg = 6 (the quadratic penalty)
                new Golden(2, 0, 3, Kind.INEQUALITY, 6, 6),
                // equality, no case split: ψ = −1 + 2·1/2 = 0, slope 1 − 2 = −1
                new Golden(-1, 1, 2, Kind.EQUALITY, 0, -1),
                // equality with a negative multiplier: ψ = −2·0.5 + 0.25/2 = −0.875, slope −2 + 0.5 = −1.5
                new Golden(0.5, -2, 1, Kind.EQUALITY, -0.875, -1.5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("golden")
    void psiAndItsSlopeEqualTheHandComputation(Golden v) {
        assertEquals(v.psi(), AugmentedLagrangian.psi(v.g(), v.lambda(), v.rho(), v.kind()), TOLERANCE);
        assertEquals(v.slope(), AugmentedLagrangian.psiSlope(v.g(), v.lambda(), v.rho(), v.kind()), TOLERANCE);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void slopeIsTheCentralDifferenceOfPsiAwayFromTheKink(Kind kind) {
        // ψ is quadratic on each side of the kink g = −λ/ρ, so the central difference is exact up to rounding
        // (about 1e-16·|ψ|/h = 1e-10 here); points within 10 h of the kink are skipped
        double h = 1e-6;
        SplittableRandom random = new SplittableRandom(17);
        int active = 0;
        int inactive = 0;
        for (int k = 0; k < 500; k++) {
            double g = random.nextDouble(-3, 3);
            double lambda = kind == Kind.INEQUALITY ? random.nextDouble(0, 2) : random.nextDouble(-2, 2);
            double rho = random.nextDouble(0.1, 5);
            if (kind == Kind.INEQUALITY && Math.abs(g + lambda / rho) < 10 * h) {
                continue;
            }
            double difference = (AugmentedLagrangian.psi(g + h, lambda, rho, kind)
                    - AugmentedLagrangian.psi(g - h, lambda, rho, kind)) / (2 * h);
            assertEquals(difference, AugmentedLagrangian.psiSlope(g, lambda, rho, kind), 1e-8,
                    "g=" + g + " λ=" + lambda + " ρ=" + rho);
            if (lambda + rho * g >= 0) {
                active++;
            } else {
                inactive++;
            }
        }
        // the check is not vacuous: both sides of the inequality's kink were visited
        assertTrue(active > 100, "points with λ + ρg ≥ 0: " + active);
        if (kind == Kind.INEQUALITY) {
            assertTrue(inactive > 100, "points with λ + ρg < 0: " + inactive);
        }
    }

    @Test
    void psiIsContinuouslyDifferentiableAtTheKink() {
        // λ = 1.5, ρ = 3: the kink is at g = −λ/ρ = −0.5, where ψ = −λ²/(2ρ) = −2.25/6 = −0.375 from both sides
        double lambda = 1.5;
        double rho = 3;
        double kink = -0.5;
        assertEquals(-0.375, AugmentedLagrangian.psi(kink, lambda, rho, Kind.INEQUALITY), TOLERANCE);
        for (double eps : new double[]{1e-2, 1e-4, 1e-6}) {
            double left = AugmentedLagrangian.psi(kink - eps, lambda, rho, Kind.INEQUALITY);
            double right = AugmentedLagrangian.psi(kink + eps, lambda, rho, Kind.INEQUALITY);
            // left of the kink ψ is the constant −λ²/(2ρ); right of it ψ = −λ²/(2ρ) + ρε²/2
            assertEquals(-0.375, left, TOLERANCE, "left, ε=" + eps);
            assertEquals(-0.375 + rho * eps * eps / 2, right, TOLERANCE, "right, ε=" + eps);
            assertEquals(0.0, AugmentedLagrangian.psiSlope(kink - eps, lambda, rho, Kind.INEQUALITY), EXACT);
            assertEquals(rho * eps, AugmentedLagrangian.psiSlope(kink + eps, lambda, rho, Kind.INEQUALITY),
                    TOLERANCE);
        }
    }

    @Test
    void zeroPenaltyGivesThePlainLagrangianNeverNaN() {
        // with ρ = 0 the case split's −λ²/(2ρ) would be −0/0 = NaN for λ = 0 (Cooper's issue #106) and −∞ for λ > 0
        for (double g : new double[]{-2, -1e-3, 0, 1e-3, 3}) {
            assertEquals(0.7 * g, AugmentedLagrangian.psi(g, 0.7, 0, Kind.INEQUALITY), EXACT, "λ=0.7, g=" + g);
            assertEquals(0.7, AugmentedLagrangian.psiSlope(g, 0.7, 0, Kind.INEQUALITY), EXACT, "λ=0.7, g=" + g);
            assertEquals(0.0, AugmentedLagrangian.psi(g, 0, 0, Kind.INEQUALITY), EXACT, "λ=0, g=" + g);
            assertEquals(0.0, AugmentedLagrangian.psiSlope(g, 0, 0, Kind.INEQUALITY), EXACT, "λ=0, g=" + g);
        }
        // and through the contract: ℓ = [1, 2], g = c − B = [−1, 2] with B = 1, λ = [0, 0.5]:
        // mean([1 + 0, 2 + 0.5·2]) = 4/2 = 2, weights w = λ = [0, 0.5]
        HeapMultipliers store = new HeapMultipliers(2);
        store.set(1, 0.5f);
        AugmentedLagrangian alm = new AugmentedLagrangian(PenaltySchedule.constant(0), Double.NaN, 1,
                Kind.INEQUALITY, store);
        SampleBatch batch = SampleBatch.of(new long[]{0, 1}, new double[]{1, 2}, new double[]{0, 3});
        BatchTerms terms = alm.terms(batch);
        assertFalse(Double.isNaN(terms.objective()));
        assertEquals(2.0, terms.objective(), TOLERANCE);
        assertArrayEquals(new double[]{0, 0.5}, batch.weights(), EXACT);
        // η = ρ = 0: the dual step leaves the multipliers where they are
        alm.dualStep(batch);
        assertEquals(0f, store.get(0));
        assertEquals(0.5f, store.get(1));
    }

    /**
     * Six training samples; the batch holds samples 4, 1 and 5 with ℓ = [0.3, 1.2, 0.7], c = [1.0, 0.25, −1.5],
     * B = 0.5, so g = [0.5, −0.25, −2.0], and λ_4 = 0, λ_1 = 1, λ_5 = 0.5. Samples 0, 2 and 3 are outside the
     * batch, with λ = 3, 0, 2.
     */
    static final long[] INDICES = {4, 1, 5};
    static final double[] LOSSES = {0.3, 1.2, 0.7};
    static final double[] CONSTRAINTS = {1.0, 0.25, -1.5};
    static final double BOUND = 0.5;
    static final float[] INITIAL = {3, 1, 0, 2, 0, 0.5f};

    static HeapMultipliers initialMultipliers() {
        HeapMultipliers store = new HeapMultipliers(INITIAL.length);
        for (int i = 0; i < INITIAL.length; i++) {
            store.set(i, INITIAL[i]);
        }
        return store;
    }

    static SampleBatch batch() {
        return SampleBatch.of(INDICES, LOSSES, CONSTRAINTS);
    }

    static float[] values(MultiplierStore store) {
        float[] out = new float[(int) store.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = store.get(i);
        }
        return out;
    }

    @Test
    void termsOfASmallBatchEqualTheHandComputation() {
        AugmentedLagrangian alm = new AugmentedLagrangian(PenaltySchedule.constant(2), Double.NaN, BOUND,
                Kind.INEQUALITY, initialMultipliers());
        SampleBatch batch = batch();
        BatchTerms terms = alm.terms(batch);
        // sample 4: λ + ρg = 0 + 1 ≥ 0, ψ = 0 + 2·0.25/2 = 0.25, w = 1
        // sample 1: λ + ρg = 1 − 0.5 ≥ 0, ψ = −0.25 + 2·0.0625/2 = −0.1875, w = 0.5
        // sample 5: λ + ρg = 0.5 − 4 < 0, ψ = −0.25/4 = −0.0625, w = 0
        // L = mean([0.3 + 0.25, 1.2 − 0.1875, 0.7 − 0.0625]) = (0.55 + 1.0125 + 0.6375) / 3 = 2.2 / 3
        assertEquals(2.2 / 3, terms.objective(), TOLERANCE);
        assertEquals(1.0, terms.lossScale(), EXACT);
        assertEquals(1.0, terms.constraintScale(), EXACT);
        assertArrayEquals(new double[]{1, 0.5, 0}, batch.weights(), TOLERANCE);
        // terms changes no state
        assertArrayEquals(INITIAL, values(alm.multipliers()));
        assertEquals(terms, alm.terms(batch));
        // the reported per-sample term is the same ℓ + ψ
        assertEquals(1.2 - 0.1875, alm.sampleObjective(1, 1.2, 0.25), TOLERANCE);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void derivativeFactorsAreThoseOfTheObjective(Kind kind) {
        // ∂L/∂c_i = constraintScale·w_i/b and ∂L/∂ℓ_i = lossScale/b, against central differences of L
        // (no sample of the batch is within h of the inequality's kink)
        AugmentedLagrangian alm = new AugmentedLagrangian(PenaltySchedule.constant(2), Double.NaN, BOUND, kind,
                initialMultipliers());
        SampleBatch batch = batch();
        BatchTerms terms = alm.terms(batch);
        double[] weights = batch.weights().clone();
        int b = batch.size();
        double h = 1e-6;
        for (int i = 0; i < b; i++) {
            double c = batch.constraints()[i];
            batch.constraints()[i] = c + h;
            double up = alm.terms(batch).objective();
            batch.constraints()[i] = c - h;
            double down = alm.terms(batch).objective();
            batch.constraints()[i] = c;
            assertEquals((up - down) / (2 * h), terms.constraintScale() * weights[i] / b, 1e-8, "∂L/∂c_" + i);

            double loss = batch.losses()[i];
            batch.losses()[i] = loss + h;
            up = alm.terms(batch).objective();
            batch.losses()[i] = loss - h;
            down = alm.terms(batch).objective();
            batch.losses()[i] = loss;
            assertEquals((up - down) / (2 * h), terms.lossScale() / b, 1e-8, "∂L/∂ℓ_" + i);
        }
    }

    @Test
    void dualStepMovesOnlyTheBatchAndClampsInequalitiesAtZero() {
        AugmentedLagrangian alm = new AugmentedLagrangian(PenaltySchedule.constant(2), 0.5, BOUND, Kind.INEQUALITY,
                initialMultipliers());
        alm.dualStep(batch());
        // λ_4 = max(0, 0 + 0.5·0.5) = 0.25; λ_1 = max(0, 1 − 0.5·0.25) = 0.875; λ_5 = max(0, 0.5 − 0.5·2) = 0
        // (clamped from −0.5); λ_0, λ_2, λ_3 untouched
        assertArrayEquals(new float[]{3, 0.875f, 0, 2, 0.25f, 0}, values(alm.multipliers()));
    }

    @Test
    void dualStepKeepsInequalityMultipliersBelowTheirBound() {
        AugmentedLagrangian alm = new AugmentedLagrangian(PenaltySchedule.constant(2), 0.5, BOUND, Kind.INEQUALITY,
                initialMultipliers(), 0.5);
        alm.dualStep(batch());
        // as without a bound, but λ_1 = min(0.5, 0.875) = 0.5; λ_4 = 0.25 and λ_5 = 0 are inside [0, 0.5];
        // untouched samples keep their values even above the bound (only a dual step projects)
        assertArrayEquals(new float[]{3, 0.5f, 0, 2, 0.25f, 0}, values(alm.multipliers()));
        assertThrows(IllegalArgumentException.class, () -> new AugmentedLagrangian(PenaltySchedule.constant(2), 0.5,
                BOUND, Kind.INEQUALITY, initialMultipliers(), 0.0));
    }

    @Test
    void dualStepOfEqualitiesIsNotClamped() {
        AugmentedLagrangian alm = new AugmentedLagrangian(PenaltySchedule.constant(2), 0.5, BOUND, Kind.EQUALITY,
                initialMultipliers());
        alm.dualStep(batch());
        // as for the inequality, but λ_5 = 0.5 − 0.5·2 = −0.5 keeps its sign
        assertArrayEquals(new float[]{3, 0.875f, 0, 2, 0.25f, -0.5f}, values(alm.multipliers()));
    }

    /** ρ = 2 in epoch 0, ×3 every epoch, capped at 100: 2, 6, 18, 54, 100, 100, ... */
    static final PenaltySchedule GROWING_RHO = new PenaltySchedule(2, 3, 1, 100);

    @Test
    void rhoFollowsItsScheduleFromBeginEpoch() {
        AugmentedLagrangian alm = new AugmentedLagrangian(GROWING_RHO, 0.5, BOUND, Kind.INEQUALITY,
                new HeapMultipliers(1));
        // before the first beginEpoch, ρ is that of epoch 0
        assertEquals(2.0, alm.rho(), EXACT);
        double[] expected = {2, 6, 18, 54, 100, 100};
        for (int e = 0; e < expected.length; e++) {
            alm.beginEpoch(e);
            assertEquals(GROWING_RHO.valueAt(e), alm.rho(), EXACT, "epoch " + e);
            assertEquals(expected[e], alm.rho(), TOLERANCE, "epoch " + e);
            assertEquals(alm.rho(), alm.coefficient(), EXACT, "epoch " + e);
            // a fixed η does not follow ρ
            assertEquals(0.5, alm.dualStepSize(), EXACT, "epoch " + e);
        }
    }

    @Test
    void dualStepSizeNaNMeansTheCurrentRho() {
        AugmentedLagrangian alm = new AugmentedLagrangian(GROWING_RHO, Double.NaN, 0, Kind.INEQUALITY,
                new HeapMultipliers(1));
        alm.beginEpoch(1);
        assertEquals(6.0, alm.dualStepSize(), EXACT);
        SampleBatch batch = SampleBatch.of(new long[]{0}, new double[]{0}, new double[]{0.25});
        // λ = max(0, 0 + 6·0.25) = 1.5
        alm.dualStep(batch);
        assertEquals(1.5f, alm.multipliers().get(0));
        alm.beginEpoch(2);
        // λ = 1.5 + 18·0.25 = 6
        alm.dualStep(batch);
        assertEquals(6f, alm.multipliers().get(0));
    }

    @Test
    void constructorRejectsBadHyperParameters() {
        HeapMultipliers store = new HeapMultipliers(1);
        PenaltySchedule rho = PenaltySchedule.constant(1);
        assertThrows(IllegalArgumentException.class,
                () -> new AugmentedLagrangian(rho, -1, 0, Kind.INEQUALITY, store));
        assertThrows(IllegalArgumentException.class,
                () -> new AugmentedLagrangian(rho, Double.POSITIVE_INFINITY, 0, Kind.INEQUALITY, store));
        assertThrows(IllegalArgumentException.class,
                () -> new AugmentedLagrangian(rho, 1, Double.NaN, Kind.INEQUALITY, store));
        assertThrows(NullPointerException.class, () -> new AugmentedLagrangian(rho, 1, 0, null, store));
    }

    static byte[] written(MethodState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            state.write(out);
        }
        return bytes.toByteArray();
    }

    static MethodState read(byte[] bytes, MultiplierStore target) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return MethodState.read(in, target);
        }
    }

    /** A method in the middle of a run: epoch 2 (ρ = 18), two dual steps with η = ρ. */
    static AugmentedLagrangian midRun() {
        AugmentedLagrangian alm = new AugmentedLagrangian(GROWING_RHO, Double.NaN, BOUND, Kind.INEQUALITY,
                initialMultipliers());
        alm.beginEpoch(2);
        SampleBatch batch = batch();
        // g_1 = 0.1/3 is not dyadic, so λ_1 = 1 + 18·g_1 (then + 18·g_1 again) is rounded to float
        batch.constraints()[1] = BOUND + 0.1 / 3;
        alm.dualStep(batch);
        alm.dualStep(batch);
        return alm;
    }

    @Test
    void stateRoundTripIsBitIdentical() throws IOException {
        AugmentedLagrangian original = midRun();
        MethodState state = original.state();
        assertEquals("alm", state.method());
        assertEquals(Map.of("epoch", 2.0, "rho", 18.0, "dualSteps", 2.0), state.scalars());
        byte[] bytes = written(state);

        AugmentedLagrangian restored = new AugmentedLagrangian(GROWING_RHO, Double.NaN, BOUND, Kind.INEQUALITY,
                new HeapMultipliers(INITIAL.length));
        restored.restore(read(bytes, null));
        assertBitIdentical(original, restored);

        // read straight into the method's own store (as a mapped store is): no copy, same values
        AugmentedLagrangian inPlace = new AugmentedLagrangian(GROWING_RHO, Double.NaN, BOUND, Kind.INEQUALITY,
                new HeapMultipliers(INITIAL.length));
        MethodState readInPlace = read(bytes, inPlace.multipliers());
        assertSame(inPlace.multipliers(), readInPlace.multipliers());
        inPlace.restore(readInPlace);
        assertBitIdentical(original, inPlace);

        // and the restored method continues as the original does
        SampleBatch batch = batch();
        original.dualStep(batch);
        restored.dualStep(batch);
        assertBitIdentical(original, restored);
        assertArrayEquals(written(original.state()), written(restored.state()));
    }

    static void assertBitIdentical(AugmentedLagrangian expected, AugmentedLagrangian actual) {
        for (int i = 0; i < expected.multipliers().size(); i++) {
            assertEquals(Float.floatToRawIntBits(expected.multipliers().get(i)),
                    Float.floatToRawIntBits(actual.multipliers().get(i)), "λ_" + i);
        }
        for (Map.Entry<String, Double> e : expected.state().scalars().entrySet()) {
            assertEquals(Double.doubleToRawLongBits(e.getValue()),
                    Double.doubleToRawLongBits(actual.state().scalar(e.getKey())), e.getKey());
        }
        assertEquals(Double.doubleToRawLongBits(expected.rho()), Double.doubleToRawLongBits(actual.rho()));
    }

    @Test
    void restoringAnotherMethodsStateFails() throws IOException {
        AugmentedLagrangian alm = midRun();
        MethodState penalty = PenaltyMethod.sequential(GROWING_RHO, PenaltyFunction.HINGE, BOUND).state();
        assertNull(penalty.multipliers());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> alm.restore(read(written(penalty), null)));
        assertTrue(e.getMessage().contains("penalty"), e.getMessage());
        // nothing changed
        assertEquals(18.0, alm.rho(), EXACT);
        assertEquals(2.0, alm.state().scalar("dualSteps"), EXACT);
    }

    @Test
    void restoringAStateOfAnotherSizeFails() throws IOException {
        byte[] bytes = written(midRun().state());
        AugmentedLagrangian larger = new AugmentedLagrangian(GROWING_RHO, Double.NaN, BOUND, Kind.INEQUALITY,
                new HeapMultipliers(INITIAL.length + 1));
        assertThrows(IllegalArgumentException.class, () -> larger.restore(read(bytes, null)));
        // reading into a store of the wrong size is refused before anything is overwritten
        assertThrows(IOException.class, () -> read(bytes, larger.multipliers()));
    }
}
