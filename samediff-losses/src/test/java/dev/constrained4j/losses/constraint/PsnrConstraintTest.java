package dev.constrained4j.losses.constraint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PsnrConstraintTest {

    /** Image 0: constant difference 0.1 (MSE 0.01, 20 dB); image 1: 0.01 (40 dB); image 2: identical (80 dB). */
    private static INDArray[] pair() {
        INDArray cover = Nd4j.rand(DataType.FLOAT, 3, 3, 4, 5);
        INDArray encoded = cover.dup();
        encoded.slice(0).addi(0.1);
        encoded.slice(1).subi(0.01);
        return new INDArray[]{encoded, cover};
    }

    @Test
    void psnrOfKnownImagePairs() {
        INDArray[] p = pair();
        double[] psnr = PsnrConstraint.psnrValues(p[0], p[1]);
        // 10 log10(1/(mse + 1e-8)): the epsilon moves 20 dB by 4e-6 dB and caps identical images at 80 dB
        assertArrayEquals(new double[]{20.0, 40.0, 80.0}, psnr, 2e-3);
    }

    @Test
    void constraintValuesAreThresholdMinusPsnr() {
        INDArray[] p = pair();
        PsnrConstraint constraint = new PsnrConstraint(30);
        assertEquals(0.0, constraint.bound());
        assertArrayEquals(new double[]{10.0, -10.0, -50.0},
                constraint.evaluate(p[0], p[1]).castTo(DataType.DOUBLE).toDoubleVector(), 2e-3);
        assertEquals(2.0 / 3.0, constraint.satisfiedFraction(p[0], p[1]), 1e-12);
    }

    @Test
    void sameDiffFormMatchesArrays() {
        INDArray[] p = pair();
        PsnrConstraint constraint = new PsnrConstraint(30);
        SameDiff sd = SameDiff.create();
        SDVariable enc = sd.placeHolder("enc", DataType.FLOAT, -1, 3, -1, -1);
        SDVariable cover = sd.placeHolder("cover", DataType.FLOAT, -1, 3, -1, -1);
        constraint.define(sd, enc, cover).rename("c");
        PsnrConstraint.definePsnr(sd, enc, cover).rename("psnr");
        Map<String, INDArray> out = sd.output(Map.of("enc", p[0], "cover", p[1]), "c", "psnr");
        assertArrayEquals(new long[]{3, 1}, out.get("c").shape());
        assertArrayEquals(constraint.evaluate(p[0], p[1]).toDoubleVector(),
                out.get("c").reshape(-1).castTo(DataType.DOUBLE).toDoubleVector(), 1e-3);
        assertArrayEquals(PsnrConstraint.psnrValues(p[0], p[1]),
                out.get("psnr").reshape(-1).castTo(DataType.DOUBLE).toDoubleVector(), 1e-3);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> new PsnrConstraint(Double.NaN));
        assertThrows(IllegalArgumentException.class,
                () -> PsnrConstraint.psnr(Nd4j.zeros(1, 3, 2, 2), Nd4j.zeros(1, 3, 2, 3)));
    }
}
