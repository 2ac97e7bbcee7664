package dev.constrained4j.losses.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.losses.penalty.PenaltyFunction;
import dev.constrained4j.losses.schedule.PenaltySchedule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The methods with one shared coefficient (plain, fixed, sequential penalty; {@code docs/methods.md}) through the
 * {@link ConstrainedMethod} contract, on the batch of {@code PenaltyObjectiveTest}: the same golden objectives,
 * the derivative weights {@link PenaltyFunction#slope}, τ per epoch from the {@link PenaltySchedule}, and the
 * state round trip.
 */
class PenaltyMethodTest {

    static final double EXACT = 0.0;
    static final double TOLERANCE = 1e-12;

    /** ℓ = [0.3, 1.2, 0.7, 2.0] (mean 1.05) and c = [0.1, 1.0, 2.5, 0.18]; B = 0.5: two samples violate. */
    static final double[] LOSSES = {0.3, 1.2, 0.7, 2.0};
    static final double[] CONSTRAINTS = {0.1, 1.0, 2.5, 0.18};
    static final double BOUND = 0.5;

    static SampleBatch batch() {
        return SampleBatch.of(new long[]{0, 1, 2, 3}, LOSSES, CONSTRAINTS);
    }

    /** One method with τ = 2 where it has one, and its objective, scale and weights derived by hand. */
    record Golden(String name, PenaltyMethod method, double objective, double constraintScale, double[] weights) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Golden> golden() {
        return Stream.of(
                // mean(ℓ); no constraint term, no weights
                new Golden("plain", PenaltyMethod.plain(), 1.05, 0, new double[]{0, 0, 0, 0}),
                // mean([0.3 + 0.2, 1.2 + 2.0, 0.7 + 5.0, 2.0 + 0.36]) = 11.76 / 4; φ' = 1 everywhere
                new Golden("fixed", PenaltyMethod.fixed(2), 2.94, 2, new double[]{1, 1, 1, 1}),
                // hinge [0, 0.5, 2.0, 0]: mean([0.3, 2.2, 4.7, 2.0]) = 9.2 / 4; φ' = [0, 1, 1, 0]
                new Golden("hinge", PenaltyMethod.sequential(PenaltySchedule.constant(2), PenaltyFunction.HINGE,
                        BOUND), 2.3, 2, new double[]{0, 1, 1, 0}),
                // squared hinge [0, 0.25, 4.0, 0]: mean([0.3, 1.7, 8.7, 2.0]) = 12.7 / 4;
                // φ' = 2·max(0, c − B) = [0, 1, 4, 0]
                new Golden("squared hinge", PenaltyMethod.sequential(PenaltySchedule.constant(2),
                        PenaltyFunction.SQUARED_HINGE, BOUND), 3.175, 2, new double[]{0, 1, 4, 0}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("golden")
    void termsEqualTheHandComputation(Golden g) {
        SampleBatch batch = batch();
        BatchTerms terms = g.method().terms(batch);
        assertEquals(g.objective(), terms.objective(), TOLERANCE);
        assertEquals(1.0, terms.lossScale(), EXACT);
        assertEquals(g.constraintScale(), terms.constraintScale(), EXACT);
        assertArrayEquals(g.weights(), batch.weights(), EXACT);
        // the same numbers from PenaltyFunction: L = mean(ℓ_i + τ·φ(c_i)), w_i = φ'(c_i)
        PenaltyFunction function = g.method().function();
        double bound = function == PenaltyFunction.IDENTITY ? 0 : BOUND;
        double sum = 0;
        for (int i = 0; i < LOSSES.length; i++) {
            double term = LOSSES[i] + g.constraintScale() * function.apply(CONSTRAINTS[i], bound);
            sum += term;
            assertEquals(function.slope(CONSTRAINTS[i], bound), batch.weights()[i], EXACT, "w_" + i);
            assertEquals(term, g.method().sampleObjective(i, LOSSES[i], CONSTRAINTS[i]), TOLERANCE, "sample " + i);
        }
        assertEquals(sum / LOSSES.length, terms.objective(), TOLERANCE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("golden")
    void derivativeFactorsAreThoseOfTheObjective(Golden g) {
        // ∂L/∂c_i = constraintScale·w_i/b and ∂L/∂ℓ_i = lossScale/b, against central differences of L
        // (no c_i is within h of the hinge's kink B = 0.5)
        SampleBatch batch = batch();
        BatchTerms terms = g.method().terms(batch);
        double[] weights = batch.weights().clone();
        int b = batch.size();
        double h = 1e-6;
        for (int i = 0; i < b; i++) {
            double c = batch.constraints()[i];
            batch.constraints()[i] = c + h;
            double up = g.method().terms(batch).objective();
            batch.constraints()[i] = c - h;
            double down = g.method().terms(batch).objective();
            batch.constraints()[i] = c;
            assertEquals((up - down) / (2 * h), terms.constraintScale() * weights[i] / b, 1e-8, "∂L/∂c_" + i);

            double loss = batch.losses()[i];
            batch.losses()[i] = loss + h;
            up = g.method().terms(batch).objective();
            batch.losses()[i] = loss - h;
            down = g.method().terms(batch).objective();
            batch.losses()[i] = loss;
            assertEquals((up - down) / (2 * h), terms.lossScale() / b, 1e-8, "∂L/∂ℓ_" + i);
        }
    }

    @Test
    void plainIgnoresTheConstraintAndHasNoCoefficient() {
        PenaltyMethod plain = PenaltyMethod.plain();
        assertTrue(Double.isNaN(plain.coefficient()));
        assertFalse(plain.usesConstraint());
        // the constraint values are never read: NaN (a constraint that was not computed) changes nothing
        SampleBatch batch = SampleBatch.of(new long[]{0, 1}, new double[]{1, 2},
                new double[]{Double.NaN, Double.NaN});
        BatchTerms terms = plain.terms(batch);
        assertEquals(1.5, terms.objective(), EXACT);
        assertFalse(terms.constraintActive());
        assertEquals(1.0, plain.sampleObjective(0, 1.0, Double.NaN), EXACT);
        plain.beginEpoch(10);
        assertTrue(Double.isNaN(plain.coefficient()));
    }

    @Test
    void fixedKeepsItsCoefficient() {
        PenaltyMethod fixed = PenaltyMethod.fixed(2.5);
        for (int e = 0; e < 5; e++) {
            fixed.beginEpoch(e);
            assertEquals(2.5, fixed.coefficient(), EXACT, "epoch " + e);
        }
        assertTrue(fixed.usesConstraint());
    }

    @Test
    void sequentialRefusesFunctionsWithoutAThreshold() {
        PenaltySchedule schedule = PenaltySchedule.constant(1);
        assertThrows(IllegalArgumentException.class,
                () -> PenaltyMethod.sequential(schedule, PenaltyFunction.NONE, BOUND));
        assertThrows(IllegalArgumentException.class,
                () -> PenaltyMethod.sequential(schedule, PenaltyFunction.IDENTITY, BOUND));
        assertThrows(IllegalArgumentException.class,
                () -> PenaltyMethod.sequential(schedule, PenaltyFunction.HINGE, Double.POSITIVE_INFINITY));
        assertThrows(NullPointerException.class, () -> PenaltyMethod.sequential(null, PenaltyFunction.HINGE, BOUND));
    }

    /**
     * The two references' schedules (docs/methods.md, "Sequential penalty"): MNIST min(100·1.01^e, 1e4); HiDDeN ×1.1
     * every 10th epoch.
     */
    static final PenaltySchedule MNIST = new PenaltySchedule(100, 1.01, 1, PenaltySchedule.MNIST_CAP);
    static final PenaltySchedule HIDDEN = new PenaltySchedule(0.1, 1.1, 10, PenaltySchedule.HIDDEN_CAP);

    static Stream<PenaltySchedule> schedules() {
        return Stream.of(MNIST, HIDDEN);
    }

    @ParameterizedTest
    @MethodSource("schedules")
    void sequentialTauPerEpochIsTheSchedulesValue(PenaltySchedule schedule) {
        PenaltyMethod penalty = PenaltyMethod.sequential(schedule, PenaltyFunction.HINGE, BOUND);
        // before the first beginEpoch, τ is that of epoch 0
        assertEquals(schedule.valueAt(0), penalty.coefficient(), EXACT);
        SampleBatch batch = batch();
        // HiDDeN reaches its cap after ⌈ln(5000)/ln(1.1)⌉ = 90 growths, in epoch 899
        for (int e = 0; e < 1000; e++) {
            penalty.beginEpoch(e);
            double tau = schedule.valueAt(e);
            assertEquals(tau, penalty.coefficient(), EXACT, "epoch " + e);
            BatchTerms terms = penalty.terms(batch);
            assertEquals(tau, terms.constraintScale(), EXACT, "epoch " + e);
            // hinge [0, 0.5, 2.0, 0]: L = (4.2 + 2.5·τ) / 4
            assertEquals((4.2 + 2.5 * tau) / 4, terms.objective(), TOLERANCE * Math.max(1, tau), "epoch " + e);
        }
        // the last epochs are capped, so the loop covered the whole schedule
        assertEquals(schedule.cap(), penalty.coefficient(), EXACT);
    }

    static byte[] written(MethodState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            state.write(out);
        }
        return bytes.toByteArray();
    }

    static MethodState read(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return MethodState.read(in, null);
        }
    }

    /** A fresh method of each kind, τ from the MNIST schedule where it grows. */
    record Maker(String name, Supplier<PenaltyMethod> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Maker> makers() {
        return Stream.of(new Maker("plain", PenaltyMethod::plain),
                new Maker("fixed", () -> PenaltyMethod.fixed(2)),
                new Maker("hinge", () -> PenaltyMethod.sequential(MNIST, PenaltyFunction.HINGE, BOUND)),
                new Maker("squared hinge", () -> PenaltyMethod.sequential(MNIST, PenaltyFunction.SQUARED_HINGE,
                        BOUND)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("makers")
    void stateRoundTripRestoresEpochAndCoefficient(Maker maker) throws IOException {
        PenaltyMethod original = maker.make().get();
        original.beginEpoch(37);
        MethodState state = read(written(original.state()));
        assertEquals(original.name(), state.method());
        assertNull(state.multipliers());
        assertEquals(37.0, state.scalar("epoch"), EXACT);

        PenaltyMethod restored = maker.make().get();
        restored.restore(state);
        assertEquals(Double.doubleToRawLongBits(original.coefficient()),
                Double.doubleToRawLongBits(restored.coefficient()));
        assertEquals(original.state().scalars(), restored.state().scalars());
        assertEquals(original.terms(batch()), restored.terms(batch()));
    }

    @Test
    void restoringAnotherMethodsStateFails() throws IOException {
        PenaltyMethod penalty = PenaltyMethod.sequential(PenaltySchedule.constant(2), PenaltyFunction.HINGE, BOUND);
        MethodState fixed = read(written(PenaltyMethod.fixed(2).state()));
        assertThrows(IllegalArgumentException.class, () -> penalty.restore(fixed));
        assertThrows(IllegalArgumentException.class, () -> PenaltyMethod.plain().restore(fixed));
    }
}
