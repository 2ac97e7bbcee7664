package dev.constrained4j.models.hidden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.losses.method.BatchTerms;
import dev.constrained4j.losses.method.SampleBatch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class HiddenSystemTest {

    private static final HiddenConfig CONFIG = new HiddenConfig(16, 8, 4, 2, 2, 2, 0.7, 1.0, 1e-3, 1e-3);

    private static INDArray[] batch(int i) {
        Nd4j.getRandom().setSeed(100 + i);
        INDArray cover = Nd4j.rand(DataType.FLOAT, 3, 3, 16, 16);
        INDArray message = Nd4j.rand(DataType.FLOAT, 3, 8).gt(0.5).castTo(DataType.FLOAT);
        return new INDArray[]{cover, message};
    }

    private static List<Map<String, Double>> train(HiddenSystem system, int from, int to) {
        List<Map<String, Double>> all = new ArrayList<>();
        for (int i = from; i < to; i++) {
            INDArray[] b = batch(i);
            all.add(HiddenSteps.train(system, b[0], b[1], 0.5 + i));
        }
        return all;
    }

    @Test
    void resumedTrainingIsBitIdenticalToUninterruptedTraining(@TempDir Path dir) throws Exception {
        String noise = "crop((0.5,0.9),(0.5,0.9))+dropout(0.3,0.6)";
        HiddenSystem uninterrupted = HiddenSystem.constrained(CONFIG, 30, noise, 42);
        List<Map<String, Double>> expected = train(uninterrupted, 0, 6);

        HiddenSystem first = HiddenSystem.constrained(CONFIG, 30, noise, 42);
        train(first, 0, 3);
        // the stream form, as a file of its own (load) and as a part of a training checkpoint (read)
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            first.write(out);
        }
        Path file = Files.write(dir.resolve("ckpt.bin"), bytes.toByteArray());
        HiddenSystem resumed = HiddenSystem.load(file);
        HiddenSystem read;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            read = HiddenSystem.read(in);
        }
        for (HiddenSystem r : List.of(resumed, read)) {
            assertEquals(3, r.trainSteps());
            List<Map<String, Double>> after = train(r, 3, 6);
            assertEquals(expected.subList(3, 6), after);
            for (String name : uninterrupted.parameters().keySet()) {
                assertEquals(uninterrupted.parameters().get(name), r.parameters().get(name), name);
            }
            assertEquals(uninterrupted.runningStatistics(), r.runningStatistics());
        }
    }

    @Test
    void trainingChangesEveryNetworkAndReportsFiniteMetrics() {
        HiddenSystem system = HiddenSystem.baseline(CONFIG, "jpeg()+quant()+resize(0.5,0.8)+cropout((0.5,0.7),(0.5,0.7))", 1);
        Map<String, INDArray> before = new java.util.HashMap<>();
        system.parameters().forEach((k, v) -> before.put(k, v.dup()));
        List<Map<String, Double>> metrics = train(system, 0, 8);
        for (Map<String, Double> m : metrics) {
            m.values().forEach(v -> assertTrue(Double.isFinite(v), m.toString()));
            // baseline: total = 1e-3·adv + 0.7·enc_mse + dec_mse
            assertEquals(1e-3 * m.get("adversarial_bce") + 0.7 * m.get("encoder_mse") + m.get("dec_mse"),
                    m.get("total_loss"), 1e-5);
        }
        for (String k : List.of("enc0_W", "enc_final_b", "dec2_W", "dec_linear_W", "dis0_W", "dis_linear_b")) {
            assertTrue(!before.get(k).equals(system.parameters().get(k)), k + " must change");
        }
        assertTrue(!system.runningStatistics().get("dis1_mean").equals(Nd4j.zeros(DataType.FLOAT, 4)));
    }

    @Test
    void constrainedLossWithZeroTauHasNoImageTerm() {
        HiddenSystem system = HiddenSystem.constrained(CONFIG, 60, "", 3);
        INDArray[] b = batch(0);
        // the method's objective mean_i[ℓ_i + τ·max(0, T − PSNR_i)]: the task part alone when τ = 0
        Map<String, Double> m = HiddenSteps.train(system, b[0], b[1], 0.0);
        assertEquals(1e-3 * m.get("adversarial_bce") + m.get("dec_mse"), m.get("total_loss"), 1e-7);
        assertTrue(m.get("psnr_violation") > 0);
        Map<String, Double> m2 = HiddenSteps.train(system, b[0], b[1], 2.0);
        assertEquals(1e-3 * m2.get("adversarial_bce") + m2.get("dec_mse") + 2.0 * m2.get("psnr_violation"),
                m2.get("total_loss"), 1e-4);
    }

    @Test
    void validationMatchesTheExportedComputationGraphs() {
        HiddenSystem system = HiddenSystem.constrained(CONFIG, 30, "", 9);
        train(system, 0, 3);
        INDArray[] b = batch(7);
        HiddenSystem.BatchResult r = system.validateOnBatch(b[0], b[1]);
        assertEquals(3, r.psnr().length);
        // the validation loss is the task part: adversarialWeight·BCE + decoderWeight·MSE, no image term
        assertEquals(1e-3 * r.adversarialBce() + r.decoderMse(), r.totalLoss(), 1e-7);
        assertEquals(3, r.bitErrors().length);
        assertTrue(r.bitErrorRate() >= 0 && r.bitErrorRate() <= 1);
        HiddenNetworks.Graphs graphs = system.exportGraphs();
        INDArray encoded = graphs.encoder().output(false, new INDArray[]{b[0], b[1]}, null)[0];
        assertTrue(encoded.sub(r.encoded()).amaxNumber().doubleValue() < 1e-4);
        assertArrayEquals(dev.constrained4j.losses.constraint.PsnrConstraint.psnrValues(encoded, b[0]), r.psnr(), 1e-2);
        INDArray decoded = graphs.decoder().outputSingle(encoded);
        assertArrayEquals(HiddenSystem.bitErrors(decoded, b[1]), r.bitErrors(), 1e-12);
    }

    @Test
    void rejectsBadBatches() {
        HiddenSystem system = HiddenSystem.baseline(CONFIG, "", 1);
        assertThrows(IllegalArgumentException.class, () -> system.trainForward(Nd4j.rand(DataType.FLOAT, 3, 3, 8, 8),
                Nd4j.zeros(DataType.FLOAT, 3, 8), new SampleBatch(3).resize(3)));
        assertThrows(IllegalArgumentException.class, () -> system.trainForward(Nd4j.rand(DataType.FLOAT, 3, 3, 16, 16),
                Nd4j.zeros(DataType.FLOAT, 3, 7), new SampleBatch(3).resize(3)));
        // a method's batch of another size than the images
        assertThrows(IllegalArgumentException.class, () -> system.trainForward(Nd4j.rand(DataType.FLOAT, 3, 3, 16, 16),
                Nd4j.zeros(DataType.FLOAT, 3, 8), new SampleBatch(4).resize(4)));
        assertEquals(0, system.trainSteps(), "a refused batch is not a step");
        // the backward half needs its forward half
        SampleBatch batch = new SampleBatch(3).resize(3);
        assertThrows(IllegalStateException.class, () -> system.trainBackward(batch, new BatchTerms(0, 1, 0.7)));
        assertThrows(IllegalArgumentException.class, () -> new HiddenConfig(16, 8, 0, 4, 7, 3, 0.7, 1, 1e-3, 1e-4));
    }
}
