package dev.constrained4j.losses.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** SSL-ALM's updates by hand, its convergence on a problem with a known answer, and its state. */
class SslAlmTest {

    private static final SslAlmConfig CONFIG = new SslAlmConfig(2.0, 1.0, 0.05, 0.1, 0.5, 100);

    @Test
    void oneIterationByHand() {
        SslAlm opt = new SslAlm(CONFIG, 2);
        // s = 0; y ← clip(y + η·(c¹ + s), 0, M_y): c¹ = (0.3, −0.2) → y = (0.03, 0)
        opt.dualStep(new double[]{0.3, -0.2});
        assertArrayEquals(new double[]{0.03, 0}, opt.multipliers(), 1e-15);
        // v = y + ρ·(c² + s): c² = (0.1, −0.4) → v = (0.13, −0.4)
        double[] v = new double[2];
        assertEquals(1.0, opt.direction(new double[]{0.3, -0.2}, new double[]{0.1, -0.4}, v));
        assertArrayEquals(new double[]{0.13, -0.4}, v, 1e-15);
        // first step: z = x = (1, −2); G = g + μ(x − z) = g = (0.4, 0.2); x ← x − τG = (0.98, −2.01); z ← z
        Map<String, INDArray> x = Map.of("w", Nd4j.createFromArray(1.0, -2.0));
        opt.step(x, Map.of("w", Nd4j.createFromArray(0.4, 0.2)));
        assertArrayEquals(new double[]{0.98, -2.01}, x.get("w").toDoubleVector(), 1e-15);
        // s ← max(0, s − τ(v + μ(s − z_s))) = max(0, −0.05·(0.13, −0.4)) = (0, 0.02)
        assertArrayEquals(new double[]{0, 0.02}, opt.slacks(), 1e-15);
        // second step: G = (0, 0) + 2·((0.98, −2.01) − (1, −2)) = (−0.04, −0.02); x ← x + 0.05·(0.04, 0.02)
        // = (0.982, −2.009); z ← z + 0.5·(x_k − z) = (0.99, −2.005)
        opt.step(x, Map.of("w", Nd4j.createFromArray(0.0, 0.0)));
        assertArrayEquals(new double[]{0.982, -2.009}, x.get("w").toDoubleVector(), 1e-15);
    }

    @Test
    void multipliersStayWithinTheirBound() {
        SslAlm opt = new SslAlm(new SslAlmConfig(2.0, 1.0, 0.05, 10, 0.5, 3), 1);
        opt.dualStep(new double[]{1.0});
        assertArrayEquals(new double[]{3}, opt.multipliers());
    }

    /**
     * min (x − 2)² s.t. x − 1 ≤ 0, deterministic gradients: the solution x = 1, slack 0, multiplier y = 2
     * (∇f = 2(x − 2) = −2 at x = 1).
     */
    @Test
    void reachesTheConstrainedMinimumOfAQuadratic() {
        SslAlm opt = new SslAlm(new SslAlmConfig(2.0, 10.0, 0.02, 0.5, 0.5, 100), 1);
        INDArray x = Nd4j.createFromArray(3.0);
        Map<String, INDArray> params = Map.of("x", x);
        double[] v = new double[1];
        for (int k = 0; k < 20000; k++) {
            double xv = x.getDouble(0);
            double[] c = {xv - 1};
            opt.dualStep(c);
            double a = opt.direction(c, c, v);
            opt.step(params, Map.of("x", Nd4j.createFromArray(a * 2 * (xv - 2) + v[0])));
        }
        assertEquals(1.0, x.getDouble(0), 1e-6);
        assertEquals(2.0, opt.multipliers()[0], 1e-5);
        assertEquals(0.0, opt.slacks()[0], 1e-6);
    }

    @Test
    void stateAndPrimalRoundTrip() throws Exception {
        SslAlm opt = new SslAlm(CONFIG, 2);
        Map<String, INDArray> x = new LinkedHashMap<>();
        x.put("w", Nd4j.createFromArray(1.0, 2.0).castTo(DataType.FLOAT));
        opt.dualStep(new double[]{0.5, 0.2});
        opt.step(x, Map.of("w", Nd4j.createFromArray(0.1, 0.1).castTo(DataType.FLOAT)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            opt.state().write(out);
            opt.writePrimal(out);
        }
        SslAlm copy = new SslAlm(CONFIG, 2);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy.restore(dev.constrained4j.losses.method.MethodState.read(in, null));
            copy.readPrimal(in);
        }
        assertArrayEquals(opt.multipliers(), copy.multipliers());
        Map<String, INDArray> x2 = new LinkedHashMap<>();
        x2.put("w", x.get("w").dup());
        Map<String, INDArray> g = Map.of("w", Nd4j.createFromArray(0.3, -0.1).castTo(DataType.FLOAT));
        opt.step(x, g);
        copy.step(x2, g);
        assertArrayEquals(x.get("w").toDoubleVector(), x2.get("w").toDoubleVector());
        assertThrows(IllegalArgumentException.class, () -> new SslAlm(CONFIG, 3).restore(opt.state()));
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SslAlmConfig(2, 1, 0, 0.1, 0.5, 100));
        assertThrows(IllegalArgumentException.class, () -> new SslAlmConfig(2, 1, 0.05, 0.1, 1.5, 100));
        assertThrows(IllegalArgumentException.class, () -> new SslAlmConfig(Double.NaN, 1, 0.05, 0.1, 0.5, 100));
        assertThrows(IllegalArgumentException.class, () -> new SslAlmConfig(2, 1, 0.05, 0.1, 0.5, 0));
    }
}
