package dev.constrained4j.models.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The hand-written passes against DL4J's own network with the same weights, in double precision: a
 * {@code MultiLayerNetwork} of two ReLU {@code DenseLayer}s and a sigmoid {@code OutputLayer} with binary
 * cross-entropy. DL4J's score is the minibatch mean, as the mean BCE here; its gradient before the updater is the sum
 * over the minibatch (the updater divides it by the minibatch size), so it is compared divided by n.
 */
class TabularMlpTest {

    @Test
    void lossAndGradientEqualDl4jsNetwork() {
        int[] sizes = {5, 8, 4, 1};
        TabularMlp mlp = new TabularMlp(sizes, 3, DataType.DOUBLE);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .updater(new NoOp()).list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(8).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(8).nOut(4).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(4).nOut(1)
                        .activation(Activation.SIGMOID).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        for (int k = 0; k < 3; k++) {
            net.setParam(k + "_W", mlp.parameters().get("l" + k + "_W"));
            net.setParam(k + "_b", mlp.parameters().get("l" + k + "_b"));
        }
        SplittableRandom random = new SplittableRandom(11);
        int n = 9;
        double[] x = new double[n * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        int[] labels = new int[n];
        int[] rows = new int[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(2);
            y[i] = labels[i];
            rows[i] = i;
        }
        double[] z = mlp.forward(x, rows);
        double loss = 0;
        double[] dz = new double[n];
        for (int i = 0; i < n; i++) {
            loss += GroupConstrainedClassifier.bce(z[i], labels[i]) / n;
            dz[i] = (GroupConstrainedClassifier.sigmoid(z[i]) - labels[i]) / n;
        }
        mlp.backward(dz);

        net.setInput(Nd4j.create(x, new long[]{n, 5}, 'c'));
        net.setLabels(Nd4j.create(y, new long[]{n, 1}, 'c'));
        net.computeGradientAndScore();
        assertEquals(net.score(), loss, 1e-12);
        for (int k = 0; k < 3; k++) {
            for (String p : new String[]{"W", "b"}) {
                INDArray expected = net.gradient().getGradientFor(k + "_" + p).div(n);
                INDArray actual = mlp.gradients().get("l" + k + "_" + p);
                assertArrayEquals(expected.reshape(expected.length()).toDoubleVector(),
                        actual.reshape(actual.length()).toDoubleVector(), 1e-12, "gradient of " + k + "_" + p);
            }
        }
        INDArray out = net.output(Nd4j.create(x, new long[]{n, 5}, 'c'));
        double[] p = mlp.predict(x);
        for (int i = 0; i < n; i++) {
            assertEquals(out.getDouble(i, 0), GroupConstrainedClassifier.sigmoid(p[i]), 1e-12);
        }
    }

    @Test
    void initialisationIsSeededAndBounded() {
        TabularMlp a = new TabularMlp(new int[]{7, 64, 32, 1}, 5, DataType.DOUBLE);
        TabularMlp b = new TabularMlp(new int[]{7, 64, 32, 1}, 5, DataType.FLOAT);
        assertEquals(7 * 64 + 64 + 64 * 32 + 32 + 32 + 1, a.flatParameters().length());
        assertArrayEquals(a.flatParameters().toFloatVector(), b.flatParameters().toFloatVector());
        // PyTorch's nn.Linear: |w| ≤ 1/√nIn
        assertEquals(0, a.parameters().get("l0_W").amaxNumber().doubleValue() > 1 / Math.sqrt(7) ? 1 : 0);
        assertThrows(IllegalArgumentException.class, () -> new TabularMlp(new int[]{7, 2}, 1, DataType.DOUBLE));
        assertThrows(IllegalStateException.class, () -> a.backward(new double[1]));
    }
}
