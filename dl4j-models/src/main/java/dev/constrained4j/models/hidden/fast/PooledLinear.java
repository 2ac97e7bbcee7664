package dev.constrained4j.models.hidden.fast;

import java.nio.ByteBuffer;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code AdaptiveAvgPool2d(1)} followed by {@code Linear(in, out)} (weights {@code [in, out]}), the head of the
 * decoder and of the discriminator, in double precision on the Java side: it is a few thousand multiplications.
 */
final class PooledLinear {

    private final String name;
    private final int in;
    private final int out;
    private final Map<String, INDArray> params;
    private final Map<String, INDArray> gradients;
    private double[][] pooled;
    private long[] inputShape;

    PooledLinear(String name, int in, int out, Map<String, INDArray> params, Map<String, INDArray> gradients) {
        this.name = name;
        this.in = in;
        this.out = out;
        this.params = params;
        this.gradients = gradients;
        gradients.put(name + "_W", params.get(name + "_W").ulike().assign(0));
        gradients.put(name + "_b", params.get(name + "_b").ulike().assign(0));
    }

    /** {@code x [n, h, w, in]} → outputs {@code [n][out]}. */
    double[][] forward(INDArray x) {
        inputShape = x.shape();
        int n = (int) inputShape[0];
        int pixels = (int) (inputShape[1] * inputShape[2]);
        ByteBuffer v = Buffer.bytes(x);
        pooled = new double[n][];
        for (int i = 0; i < n; i++) {
            pooled[i] = ChannelKernels.sums(v, i * pixels, (i + 1) * pixels, in, null);
            for (int c = 0; c < in; c++) {
                pooled[i][c] /= pixels;
            }
        }
        double[][] w = params.get(name + "_W").castTo(DataType.DOUBLE).toDoubleMatrix();
        double[] b = params.get(name + "_b").castTo(DataType.DOUBLE).toDoubleVector();
        double[][] y = new double[n][out];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int c = 0; c < in; c++) {
                    s += pooled[i][c] * w[c][o];
                }
                y[i][o] = s;
            }
        }
        return y;
    }

    /**
     * Backward pass of the last forward: adds the parameter gradients when asked and writes the input gradient
     * {@code [n, h, w, in]} into {@code inputGradient}.
     */
    void backward(double[][] outputGradient, INDArray inputGradient, boolean parameterGradients, Workspace workspace) {
        int n = (int) inputShape[0];
        int pixels = (int) (inputShape[1] * inputShape[2]);
        double[][] w = params.get(name + "_W").castTo(DataType.DOUBLE).toDoubleMatrix();
        if (parameterGradients) {
            double[][] gw = new double[in][out];
            double[] gb = new double[out];
            for (int i = 0; i < n; i++) {
                for (int o = 0; o < out; o++) {
                    gb[o] += outputGradient[i][o];
                    for (int c = 0; c < in; c++) {
                        gw[c][o] += pooled[i][c] * outputGradient[i][o];
                    }
                }
            }
            INDArray gW = gradients.get(name + "_W");
            INDArray gB = gradients.get(name + "_b");
            gW.addi(Nd4j.create(gw).castTo(gW.dataType()));
            gB.addi(Nd4j.createFromArray(gb).castTo(gB.dataType()));
        }
        float[] g = workspace.first(n * pixels * in);
        for (int i = 0; i < n; i++) {
            float[] perPixel = new float[in];
            for (int c = 0; c < in; c++) {
                double s = 0;
                for (int o = 0; o < out; o++) {
                    s += outputGradient[i][o] * w[c][o];
                }
                perPixel[c] = (float) (s / pixels);
            }
            for (int p = 0; p < pixels; p++) {
                System.arraycopy(perPixel, 0, g, (i * pixels + p) * in, in);
            }
        }
        Buffer.write(g, inputGradient, n * pixels * in);
    }
}
