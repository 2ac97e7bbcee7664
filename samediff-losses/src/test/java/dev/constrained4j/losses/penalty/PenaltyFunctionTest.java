package dev.constrained4j.losses.penalty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link PenaltyFunction#apply}: φ(c) for values below, at and above the bound. */
class PenaltyFunctionTest {

    record Case(PenaltyFunction function, double c, double bound, double expected) {
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(PenaltyFunction.NONE, 3.0, 1.0, 0.0),
                new Case(PenaltyFunction.NONE, -3.0, 1.0, 0.0),
                new Case(PenaltyFunction.IDENTITY, 0.25, 1.0, 0.25),
                new Case(PenaltyFunction.IDENTITY, 3.0, 1.0, 3.0),
                new Case(PenaltyFunction.HINGE, 0.25, 1.0, 0.0),
                new Case(PenaltyFunction.HINGE, 1.0, 1.0, 0.0),
                new Case(PenaltyFunction.HINGE, 3.0, 1.0, 2.0),
                new Case(PenaltyFunction.HINGE, 0.0125, 0.01, 0.0025),
                new Case(PenaltyFunction.SQUARED_HINGE, 0.25, 1.0, 0.0),
                new Case(PenaltyFunction.SQUARED_HINGE, 1.0, 1.0, 0.0),
                new Case(PenaltyFunction.SQUARED_HINGE, 3.0, 1.0, 4.0),
                new Case(PenaltyFunction.SQUARED_HINGE, 1.5, 1.0, 0.25));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void apply(Case c) {
        assertEquals(c.expected(), c.function().apply(c.c(), c.bound()), 1e-15);
    }
}
