package dev.constrained4j.losses.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The penalty coefficient per epoch for the two reference experiments (docs/methods.md, "Sequential penalty";
 * docs/experiments.md, "The MNIST experiment" and "The HiDDeN experiment").
 */
class PenaltyScheduleTest {

    /** MNIST: τ_0 = 100, γ = 1.01 once per epoch, τ_max = 1e4 (docs/experiments.md, "The MNIST experiment"). */
    static final PenaltySchedule MNIST = new PenaltySchedule(100, 1.01, 1, PenaltySchedule.MNIST_CAP);
    /** HiDDeN: {@code --penalty 0.1 1.1 10}, capped at 500 (docs/experiments.md, "The HiDDeN experiment"). */
    static final PenaltySchedule HIDDEN = new PenaltySchedule(0.1, 1.1, 10, PenaltySchedule.HIDDEN_CAP);

    /** First 0-based epoch whose MNIST coefficient reaches the cap: ⌈ln(1e4/100) / ln(1.01)⌉ = 463. */
    static final int MNIST_FIRST_CAPPED_EPOCH = (int) Math.ceil(Math.log(100) / Math.log(1.01));

    /** One expected coefficient: {@code schedule.valueAt(epoch) == expected} to a relative 1e-12. */
    record Value(String name, PenaltySchedule schedule, int epoch, double expected) {
        @Override
        public String toString() {
            return name + " epoch " + epoch + " -> " + expected;
        }
    }

    static Stream<Value> values() {
        return Stream.of(
                new Value("MNIST", MNIST, 0, 100),
                new Value("MNIST", MNIST, 1, 101),
                new Value("MNIST", MNIST, 2, 102.01),
                new Value("MNIST", MNIST, 10, 100 * Math.pow(1.01, 10)),
                new Value("MNIST", MNIST, 100, 100 * Math.pow(1.01, 100)),
                new Value("MNIST", MNIST, 249, 100 * Math.pow(1.01, 249)),
                new Value("MNIST", MNIST, MNIST_FIRST_CAPPED_EPOCH - 1,
                        100 * Math.pow(1.01, MNIST_FIRST_CAPPED_EPOCH - 1)),
                new Value("MNIST", MNIST, MNIST_FIRST_CAPPED_EPOCH, 1e4),
                new Value("MNIST", MNIST, 1000, 1e4),
                new Value("HiDDeN", HIDDEN, 0, 0.1),
                new Value("HiDDeN", HIDDEN, 1, 0.1),
                new Value("HiDDeN", HIDDEN, 8, 0.1),
                new Value("HiDDeN", HIDDEN, 9, 0.11),
                new Value("HiDDeN", HIDDEN, 10, 0.11),
                new Value("HiDDeN", HIDDEN, 18, 0.11),
                new Value("HiDDeN", HIDDEN, 19, 0.121),
                new Value("HiDDeN", HIDDEN, 29, 0.1331),
                new Value("HiDDeN", HIDDEN, 5000, 500),
                new Value("every epoch, epoch 0 is the start", new PenaltySchedule(2, 3, 1, 1e9), 0, 2),
                new Value("every epoch", new PenaltySchedule(2, 3, 1, 1e9), 3, 54),
                new Value("every 2nd epoch", new PenaltySchedule(2, 3, 2, 1e9), 0, 2),
                new Value("every 2nd epoch", new PenaltySchedule(2, 3, 2, 1e9), 1, 6),
                new Value("every 2nd epoch", new PenaltySchedule(2, 3, 2, 1e9), 2, 6),
                new Value("every 2nd epoch", new PenaltySchedule(2, 3, 2, 1e9), 3, 18),
                new Value("cap between two growths", new PenaltySchedule(2, 3, 1, 10), 2, 10),
                new Value("constant", PenaltySchedule.constant(7.5), 0, 7.5),
                new Value("constant", PenaltySchedule.constant(7.5), 300, 7.5),
                new Value("zero start stays zero", new PenaltySchedule(0, 2, 1, 5), 50, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void valueAtEpoch(Value v) {
        double actual = v.schedule().valueAt(v.epoch());
        assertEquals(v.expected(), actual, 1e-12 * Math.abs(v.expected()), v.toString());
    }

    @Test
    void mnistReachesTheCapExactlyAtTheFirstEpochWhereTheGeometricValueExceedsIt() {
        assertEquals(463, MNIST_FIRST_CAPPED_EPOCH);
        assertTrue(MNIST.valueAt(MNIST_FIRST_CAPPED_EPOCH - 1) < PenaltySchedule.MNIST_CAP);
        for (int e = MNIST_FIRST_CAPPED_EPOCH; e < MNIST_FIRST_CAPPED_EPOCH + 50; e++) {
            assertEquals(PenaltySchedule.MNIST_CAP, MNIST.valueAt(e), 0.0, "epoch " + e);
        }
    }

    @Test
    void hiddenGrowsOnlyAtOneBasedEpochsThatAreMultiplesOfTen() {
        for (int epoch = 1; epoch < 200; epoch++) {
            int oneBased = epoch + 1;
            boolean grows = HIDDEN.valueAt(epoch) > HIDDEN.valueAt(epoch - 1);
            assertEquals(oneBased % 10 == 0, grows, "0-based epoch " + epoch);
        }
        // 0.1 · 1.1^k first reaches 500 at k = ⌈ln(5000) / ln(1.1)⌉ = 90, i.e. 1-based epoch 900
        assertTrue(HIDDEN.valueAt(898) < PenaltySchedule.HIDDEN_CAP);
        assertEquals(PenaltySchedule.HIDDEN_CAP, HIDDEN.valueAt(899), 0.0);
    }

    @Test
    void valuesNeverDecreaseAndNeverExceedTheCap() {
        for (PenaltySchedule s : List.of(MNIST, HIDDEN)) {
            double[] tau = IntStream.range(0, 1200).mapToDouble(s::valueAt).toArray();
            for (int e = 1; e < tau.length; e++) {
                assertTrue(tau[e] >= tau[e - 1], s + " epoch " + e);
                assertTrue(tau[e] <= s.cap(), s + " epoch " + e);
            }
        }
    }

    @Test
    void growthsBeforeCountsTheMultiplications() {
        assertEquals(0, MNIST.growthsBefore(0));
        assertEquals(7, MNIST.growthsBefore(7));
        assertEquals(0, HIDDEN.growthsBefore(8));
        assertEquals(1, HIDDEN.growthsBefore(9));
        assertEquals(2, HIDDEN.growthsBefore(19));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MNIST.valueAt(-1));
        assertTrue(e.getMessage().contains("epoch") && e.getMessage().contains("-1"), e.getMessage());
    }

    /** A schedule that must be refused, and what the message must name. */
    record Invalid(String name, double start, double factor, int everyEpochs, double cap, List<String> fragments) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Invalid> invalid() {
        return Stream.of(
                new Invalid("negative start", -1, 1.01, 1, 10, List.of("start", "-1.0")),
                new Invalid("NaN start", Double.NaN, 1.01, 1, 10, List.of("start", "NaN")),
                new Invalid("infinite start", Double.POSITIVE_INFINITY, 1.01, 1, 10, List.of("start", "Infinity")),
                new Invalid("factor below 1", 1, 0.5, 1, 10, List.of("factor", "0.5")),
                new Invalid("NaN factor", 1, Double.NaN, 1, 10, List.of("factor", "NaN")),
                new Invalid("period 0", 1, 1.01, 0, 10, List.of("period", "0")),
                new Invalid("negative period", 1, 1.01, -3, 10, List.of("period", "-3")),
                new Invalid("cap below start", 100, 1.01, 1, 10, List.of("cap", "100.0", "10.0")),
                new Invalid("NaN cap", 1, 1.01, 1, Double.NaN, List.of("cap", "NaN")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidFieldsAreRefusedWithAMessageNamingFieldAndValue(Invalid c) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PenaltySchedule(c.start(), c.factor(), c.everyEpochs(), c.cap()));
        for (String fragment : c.fragments()) {
            assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should contain '" + fragment + "'");
        }
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void constantNeverChanges() {
        PenaltySchedule s = PenaltySchedule.constant(1.0);
        assertEquals(new PenaltySchedule(1.0, 1.0, 1, 1.0), s);
        assertEquals(1.0, s.valueAt(0), 0.0);
        assertEquals(1.0, s.valueAt(10_000), 0.0);
    }
}
