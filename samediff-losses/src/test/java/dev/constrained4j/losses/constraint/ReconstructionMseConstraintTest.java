package dev.constrained4j.losses.constraint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code c_i = mean over features of (x_i − x̂_i)²}: the SameDiff and array forms against a hand computation. */
class ReconstructionMseConstraintTest {

    static final double[][] OUTPUT = {{0.1, 0.9, 0.5}, {1.0, 0.0, 0.25}};
    static final double[][] REFERENCE = {{0.0, 1.0, 0.5}, {0.0, 1.0, 0.75}};
    /** (0.01 + 0.01 + 0) / 3 and (1 + 1 + 0.25) / 3. */
    static final double[] EXPECTED = {0.02 / 3, 2.25 / 3};

    @Test
    void evaluateEqualsTheHandComputation() {
        INDArray c = new ReconstructionMseConstraint(0.01)
                .evaluate(Nd4j.createFromArray(OUTPUT), Nd4j.createFromArray(REFERENCE));
        assertArrayEquals(new long[]{2}, c.shape());
        assertArrayEquals(EXPECTED, c.toDoubleVector(), 1e-15);
    }

    @Test
    void defineAgreesWithEvaluate() {
        ReconstructionMseConstraint constraint = new ReconstructionMseConstraint(0.01);
        SameDiff sd = SameDiff.create();
        SDVariable out = sd.placeHolder("out", DataType.DOUBLE, -1, 3);
        SDVariable ref = sd.placeHolder("ref", DataType.DOUBLE, -1, 3);
        SDVariable c = constraint.define(sd, out, ref);
        INDArray defined = sd.output(Map.of("out", Nd4j.createFromArray(OUTPUT), "ref",
                Nd4j.createFromArray(REFERENCE)), c.name()).get(c.name());
        assertArrayEquals(new long[]{2, 1}, defined.shape());
        assertArrayEquals(EXPECTED, defined.reshape(-1).toDoubleVector(), 1e-15);
        INDArray evaluated = constraint.evaluate(Nd4j.createFromArray(OUTPUT), Nd4j.createFromArray(REFERENCE));
        assertArrayEquals(evaluated.toDoubleVector(), defined.reshape(-1).toDoubleVector(), 1e-15);
    }

    @Test
    void evaluateFlattensImagesPerSample() {
        // [2, 1, 3] images: the same values as the [2, 3] rows
        INDArray out = Nd4j.createFromArray(OUTPUT).reshape(2, 1, 3);
        INDArray ref = Nd4j.createFromArray(REFERENCE).reshape(2, 1, 3);
        assertArrayEquals(EXPECTED, new ReconstructionMseConstraint(0.01).evaluate(out, ref).toDoubleVector(), 1e-15);
    }

    @Test
    void evaluateDoesNotModifyItsInputs() {
        INDArray out = Nd4j.createFromArray(OUTPUT);
        INDArray ref = Nd4j.createFromArray(REFERENCE);
        new ReconstructionMseConstraint(0.01).evaluate(out, ref);
        assertEquals(Nd4j.createFromArray(OUTPUT), out);
        assertEquals(Nd4j.createFromArray(REFERENCE), ref);
    }

    @Test
    void badBoundsAreRefused() {
        for (double bad : new double[]{-0.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ReconstructionMseConstraint(bad));
            assertTrue(e.getMessage().contains("bound") && e.getMessage().contains(String.valueOf(bad)),
                    e.getMessage());
        }
        assertEquals(0.01, ReconstructionMseConstraint.MNIST_BOUND);
        assertEquals("recon_mse", new ReconstructionMseConstraint(0.01).name());
    }
}
