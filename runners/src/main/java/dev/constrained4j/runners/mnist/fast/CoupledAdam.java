package dev.constrained4j.runners.mnist.fast;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam with coupled L2 on one flat parameter vector, as PyTorch's {@code Adam(weight_decay=wd)} (SPEC §3):
 * {@code g ← g + wd·w} on every parameter (biases included) before the moments, then
 * {@code m ← β1·m + (1−β1)·g}, {@code v ← β2·v + (1−β2)·g²} and, in the {@link Form#PYTORCH} form,
 * {@code w ← w − lr·m̂/(√v̂ + ε)} with {@code m̂ = m/(1−β1^t)}, {@code v̂ = v/(1−β2^t)}.
 *
 * <p>DL4J's Adam (the SameDiff engine's) divides by {@code √v + ε} instead of {@code √v̂ + ε}: the same update
 * with ε scaled by {@code √(1−β2^t)}; {@link Form#DL4J} reproduces it.
 *
 * <p>The moments are kept in Java arrays (of the parameters' type) and a step is one loop over them, with the
 * parameters and gradients copied in and the parameters out in bulk: ND4J's {@code axpy} + {@code adam_updater}
 * + {@code subi} took 6–9 ms per step on the MNIST model's 410k parameters here, several times the loop's cost.
 */
public final class CoupledAdam {

    /** Float values of smaller magnitude are stored as zero (see {@link #step}). */
    static final float FLUSH = 1e-30f;


    /** Where ε enters the update. */
    public enum Form {
        /** {@code lr·m̂/(√v̂ + ε)}: PyTorch's, the reference's. */
        PYTORCH,
        /** {@code lr·√(1−β2^t)/(1−β1^t)·m/(√v + ε)}: DL4J's {@code Adam}, used by the SameDiff engine. */
        DL4J
    }

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final Form form;
    private final double[] m;
    private final double[] v;
    private final float[] floatM;
    private final float[] floatV;
    private final float[] floatW;
    private final float[] floatG;
    private final double[] doubleW;
    private final double[] doubleG;
    private final DataType type;
    private long step;

    /** Fresh (zero) moments for a flat parameter vector like {@code parameters}. */
    public CoupledAdam(double learningRate, double beta1, double beta2, double epsilon, double weightDecay, Form form,
                       INDArray parameters) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.form = form;
        int n = Math.toIntExact(parameters.length());
        this.type = parameters.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("parameters must be float or double, got " + type);
        }
        this.m = type == DataType.DOUBLE ? new double[n] : null;
        this.v = type == DataType.DOUBLE ? new double[n] : null;
        this.floatM = type == DataType.FLOAT ? new float[n] : null;
        this.floatV = type == DataType.FLOAT ? new float[n] : null;
        this.floatW = type == DataType.FLOAT ? new float[n] : null;
        this.floatG = type == DataType.FLOAT ? new float[n] : null;
        this.doubleW = type == DataType.DOUBLE ? new double[n] : null;
        this.doubleG = type == DataType.DOUBLE ? new double[n] : null;
    }

    /**
     * One step: {@code parameters} and {@code gradients} are flat vectors of equal length; the gradient array is
     * overwritten (it holds the update afterwards).
     */
    public void step(INDArray parameters, INDArray gradients) {
        requireWhole(parameters);
        requireWhole(gradients);
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        // PyTorch: w -= lr/bc1 · m / (√v/√bc2 + ε);   DL4J: w -= lr·√bc2/bc1 · m / (√v + ε)
        double stepSize = form == Form.PYTORCH ? learningRate / bc1 : learningRate * Math.sqrt(bc2) / bc1;
        double vScale = form == Form.PYTORCH ? 1 / Math.sqrt(bc2) : 1;
        if (type == DataType.FLOAT) {
            FloatBuffer w = parameters.data().asNioFloat();
            w.get(0, floatW);
            gradients.data().asNioFloat().get(0, floatG);
            // float arithmetic, as PyTorch's and ND4J's float Adam, so that the loop vectorises
            float b1 = (float) beta1;
            float b2 = (float) beta2;
            float c1 = (float) (1 - beta1);
            float c2 = (float) (1 - beta2);
            float wd = (float) weightDecay;
            float lr = (float) stepSize;
            float scale = (float) vScale;
            float eps = (float) epsilon;
            for (int i = 0; i < floatW.length; i++) {
                float g = floatG[i] + wd * floatW[i];
                float mi = b1 * floatM[i] + c1 * g;
                float vi = b2 * floatV[i] + c2 * g * g;
                float wi = floatW[i] - lr * mi / ((float) Math.sqrt(vi) * scale + eps);
                // subnormal floats (weights and moments of always-black pixels decay into them) slow every later
                // product by orders of magnitude; below 1e-30 they are below float precision anyway
                floatM[i] = Math.abs(mi) < FLUSH ? 0f : mi;
                floatV[i] = vi < FLUSH ? 0f : vi;
                floatW[i] = Math.abs(wi) < FLUSH ? 0f : wi;
            }
            w.put(0, floatW);
        } else {
            DoubleBuffer w = parameters.data().asNioDouble();
            w.get(0, doubleW);
            gradients.data().asNioDouble().get(0, doubleG);
            for (int i = 0; i < m.length; i++) {
                double g = doubleG[i] + weightDecay * doubleW[i];
                double mi = beta1 * m[i] + (1 - beta1) * g;
                double vi = beta2 * v[i] + (1 - beta2) * g * g;
                m[i] = mi;
                v[i] = vi;
                doubleW[i] = doubleW[i] - stepSize * mi / (Math.sqrt(vi) * vScale + epsilon);
            }
            w.put(0, doubleW);
        }
    }

    private void requireWhole(INDArray a) {
        if (a.dataType() != type || a.offset() != 0 || a.length() != length() || a.data().length() != length()) {
            throw new IllegalArgumentException("expected a whole " + type + " vector of " + length() + " values, got "
                    + a.shapeInfoToString());
        }
    }

    /** Steps taken so far (t of the bias correction). */
    public long steps() {
        return step;
    }

    private int length() {
        return type == DataType.FLOAT ? floatW.length : doubleW.length;
    }

    /** First moments (a copy, in the parameters' type). */
    public INDArray firstMoments() {
        return type == DataType.FLOAT ? Nd4j.createFromArray(floatM.clone()) : Nd4j.createFromArray(m.clone());
    }

    /** Second moments (a copy, in the parameters' type). */
    public INDArray secondMoments() {
        return type == DataType.FLOAT ? Nd4j.createFromArray(floatV.clone()) : Nd4j.createFromArray(v.clone());
    }

    /** Restores the state of a checkpoint. */
    public void restore(long steps, INDArray firstMoments, INDArray secondMoments) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        if (firstMoments.length() != length() || secondMoments.length() != length()) {
            throw new IllegalArgumentException("expected moments of " + length() + " values, got "
                    + firstMoments.length() + " and " + secondMoments.length());
        }
        if (type == DataType.FLOAT) {
            System.arraycopy(firstMoments.castTo(DataType.FLOAT).toFloatVector(), 0, floatM, 0, floatM.length);
            System.arraycopy(secondMoments.castTo(DataType.FLOAT).toFloatVector(), 0, floatV, 0, floatV.length);
        } else {
            System.arraycopy(firstMoments.castTo(DataType.DOUBLE).toDoubleVector(), 0, m, 0, m.length);
            System.arraycopy(secondMoments.castTo(DataType.DOUBLE).toDoubleVector(), 0, v, 0, v.length);
        }
        this.step = steps;
    }
}
