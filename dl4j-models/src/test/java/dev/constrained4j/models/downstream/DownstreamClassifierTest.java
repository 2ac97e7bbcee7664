package dev.constrained4j.models.downstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DownstreamClassifierTest {

    private static final int SIZE = 16;

    /**
     * A separable 3-class set: horizontal stripes, vertical stripes, checkerboard (period 4, random phase), grey
     * copied to 3 channels, plus uniform noise of ±0.15.
     */
    private static INDArray[] stripes(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n * 3 * SIZE * SIZE];
        float[] y = new float[n * 3];
        for (int i = 0; i < n; i++) {
            int cls = i % 3;
            int dx = random.nextInt(4);
            int dy = random.nextInt(4);
            y[i * 3 + cls] = 1;
            for (int r = 0; r < SIZE; r++) {
                for (int c = 0; c < SIZE; c++) {
                    boolean row = ((r + dy) / 2) % 2 == 0;
                    boolean col = ((c + dx) / 2) % 2 == 0;
                    boolean on = cls == 0 ? row : cls == 1 ? col : row ^ col;
                    float v = (on ? 0.8f : 0.2f) + (float) (random.nextDouble() * 0.3 - 0.15);
                    for (int ch = 0; ch < 3; ch++) {
                        x[((i * 3 + ch) * SIZE + r) * SIZE + c] = v;
                    }
                }
            }
        }
        return new INDArray[]{Nd4j.create(x, new long[]{n, 3, SIZE, SIZE}, 'c'), Nd4j.create(y, new long[]{n, 3}, 'c')};
    }

    @Test
    void learnsASeparableSetAndIsReproducible() {
        INDArray[] train = stripes(90, 1);
        INDArray[] test = stripes(60, 2);
        DownstreamClassifierConfig config = DownstreamClassifierConfig.defaults(SIZE, 3);

        DownstreamClassifier a = DownstreamClassifier.create(config);
        DownstreamResult before = a.evaluate(test[0], test[1]);
        a.fit(train[0], train[1]);
        DownstreamResult result = a.evaluate(test[0], test[1]);

        System.out.println("downstream classifier on stripes: " + result + ", untrained " + before);
        assertTrue(result.accuracy() >= 0.9, "accuracy " + result + " (untrained: " + before + ")");
        assertTrue(result.macroAuc() >= 0.97, "AUC " + result);
        assertEquals(60, result.images());

        DownstreamClassifier b = DownstreamClassifier.create(config);
        b.fit(train[0], train[1]);
        assertEquals(a.predict(test[0]), b.predict(test[0]), "same seed and data, same network");
    }

    @Test
    void rocAucMatchesHandComputedValues() {
        boolean[] positive = {false, false, true, true};
        assertEquals(1.0, DownstreamClassifier.rocAuc(new double[]{0.1, 0.2, 0.3, 0.4}, positive), 0);
        assertEquals(0.0, DownstreamClassifier.rocAuc(new double[]{0.4, 0.3, 0.2, 0.1}, positive), 0);
        assertEquals(0.5, DownstreamClassifier.rocAuc(new double[]{0.5, 0.5, 0.5, 0.5}, positive), 0);
        // pairs (pos > neg): 0.35>0.1, 0.35<0.4, 0.8>0.1, 0.8>0.4 -> 3/4
        assertEquals(0.75, DownstreamClassifier.rocAuc(new double[]{0.1, 0.4, 0.35, 0.8}, positive), 0);
        assertTrue(Double.isNaN(DownstreamClassifier.rocAuc(new double[]{0.1, 0.2}, new boolean[]{true, true})));
    }

    @Test
    void rejectsWrongShapesAndBadConfig() {
        DownstreamClassifier model = DownstreamClassifier.create(DownstreamClassifierConfig.defaults(SIZE, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.predict(Nd4j.zeros(DataType.FLOAT, 2, 1, SIZE, SIZE)));
        assertTrue(e.getMessage().contains("[n, 3, 16, 16]"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new DownstreamClassifierConfig(32, 3, 8, 0, 32, 1e-3, 1));
    }
}
