package dev.constrained4j.models.mnist.fast;

import dev.constrained4j.models.blas.DirectGemm;
import dev.constrained4j.models.simd.FloatMemory;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.SigmoidDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The MNIST classifier-with-decoder (docs/experiments.md, "The MNIST experiment": 784→256 ReLU→20 →10 logits; 20→256
 * ReLU→784 sigmoid) with a hand-written forward and backward pass over per-sample terms: the forward pass gives each
 * image's cross-entropy {@code ℓ_i} and reconstruction MSE {@code c_i = (1/784) Σ_j (x̂_ij − x_ij)²}; the backward pass
 * takes {@code ∂L/∂ℓ_i} and {@code ∂L/∂c_i} from a constrained method ({@code losses.method}) and fills the gradient of
 * every parameter. The model encodes no penalty of its own. It is tested to give the same values and gradients as
 * the SameDiff graph of {@code MnistClassifierDecoder} with the objective of {@code PenaltyObjective} (double
 * precision).
 *
 * <p>Everything a step needs is allocated once: parameters and gradients are views of two flat vectors (so
 * that one optimiser loop updates them all), activations live in buffers sized for the largest batch, matrix
 * products are written into them with {@code gemm}, activations are applied in place, and the per-sample
 * terms (softmax cross-entropy, the reconstruction error and its derivative) are computed in Java straight from
 * the buffers' memory. Not thread-safe.
 *
 * <p>Two ways through the same equations. In float on the CPU backend (training and evaluation), the products go
 * straight to OpenBLAS ({@link DirectGemm}) and every element-wise pass is one vector loop over the buffers' memory
 * ({@link MlpKernels}); otherwise (double precision, which the tests compare with SameDiff, or another backend)
 * each step is an ND4J op. The float way is tested against the double one.
 */
public final class FusedMnistMlp {

    /** Gradients of smaller magnitude are set to zero before the decoder's products (see {@code backward}). */
    static final double SUBNORMAL_FLUSH = 1e-30;


    /** Layer names, as in {@code MnistClassifierDecoder}: encoder, classifier, decoder. */
    public static final List<String> ENCODER_LAYERS = List.of("enc1", "enc2", "cls");
    public static final List<String> DECODER_LAYERS = List.of("dec1", "dec2");

    private final DataType type;
    private final boolean withDecoder;
    private final int inputs;
    private final int hidden;
    private final int code;
    private final int classes;
    private final INDArray params;
    private final INDArray grads;
    private final Map<String, INDArray> weights = new LinkedHashMap<>();
    private final Map<String, INDArray> biases = new LinkedHashMap<>();
    private final Map<String, INDArray> weightGrads = new HashMap<>();
    private final Map<String, INDArray> biasGrads = new HashMap<>();
    private final INDArray w1;
    private final INDArray w2;
    private final INDArray w3;
    private final INDArray w4;
    private final INDArray w5;
    /** Float on the CPU backend: products through {@link DirectGemm}, element-wise work in {@link MlpKernels}. */
    private final boolean direct;
    private final FloatBuffer paramFloats;
    private final FloatBuffer gradFloats;
    private Buffers training;
    private Buffers evaluation;

    /**
     * @param initial     parameters keyed {@code <layer>_W} ({@code [nIn, nOut]}) and {@code <layer>_b}; copied
     * @param withDecoder whether the decoder is part of the model (false: encoder-classifier alone)
     */
    public FusedMnistMlp(int inputs, int hidden, int code, int classes, Map<String, INDArray> initial,
                         boolean withDecoder, DataType type) {
        this.type = type;
        this.withDecoder = withDecoder;
        this.inputs = inputs;
        this.hidden = hidden;
        this.code = code;
        this.classes = classes;
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put("enc1", new int[]{inputs, hidden});
        shapes.put("enc2", new int[]{hidden, code});
        shapes.put("cls", new int[]{code, classes});
        if (withDecoder) {
            shapes.put("dec1", new int[]{code, hidden});
            shapes.put("dec2", new int[]{hidden, inputs});
        }
        long total = 0;
        for (int[] s : shapes.values()) {
            total += (long) s[0] * s[1] + s[1];
        }
        params = Nd4j.create(type, total);
        grads = Nd4j.create(type, total);
        long at = 0;
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            int[] s = e.getValue();
            String layer = e.getKey();
            long w = (long) s[0] * s[1];
            weights.put(layer, params.get(NDArrayIndex.interval(at, at + w)).reshape('c', s[0], s[1]));
            weightGrads.put(layer, grads.get(NDArrayIndex.interval(at, at + w)).reshape('c', s[0], s[1]));
            at += w;
            biases.put(layer, params.get(NDArrayIndex.interval(at, at + s[1])));
            biasGrads.put(layer, grads.get(NDArrayIndex.interval(at, at + s[1])));
            at += s[1];
            weights.get(layer).assign(required(initial, layer + "_W").castTo(type).reshape(s[0], s[1]));
            biases.get(layer).assign(required(initial, layer + "_b").castTo(type).reshape(s[1]));
        }
        w1 = weights.get("enc1");
        w2 = weights.get("enc2");
        w3 = weights.get("cls");
        w4 = weights.get("dec1");
        w5 = weights.get("dec2");
        direct = type == DataType.FLOAT && DirectGemm.available();
        paramFloats = direct ? FloatMemory.bytes(params).asFloatBuffer() : null;
        gradFloats = direct ? FloatMemory.bytes(grads).asFloatBuffer() : null;
    }

    /** Whether {@code a} is a float row block {@code [rows, inputs]} with dense rows, as the direct way reads it. */
    private boolean denseRows(INDArray a) {
        return a.dataType() == DataType.FLOAT && a.ordering() == 'c' && a.rank() == 2 && a.stride(1) == 1
                && a.stride(0) == inputs;
    }

    private static INDArray required(Map<String, INDArray> params, String name) {
        INDArray value = params.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing parameter '" + name + "'");
        }
        return value;
    }

    /** Whether the decoder is part of the model. */
    public boolean hasDecoder() {
        return withDecoder;
    }

    /** All parameters as one flat vector (live: an optimiser updates it in place). */
    public INDArray flatParameters() {
        return params;
    }

    /** The gradient of the last {@link #backward} call, flat, laid out as {@link #flatParameters}. */
    public INDArray flatGradients() {
        return grads;
    }

    /** Copies of the parameters, keyed {@code <layer>_W} ({@code [nIn, nOut]}) and {@code <layer>_b} ({@code [1, nOut]}). */
    public Map<String, INDArray> parameters() {
        return copies(weights, biases);
    }

    /** Copies of the last gradient, keyed as {@link #parameters}. */
    public Map<String, INDArray> gradients() {
        return copies(weightGrads, biasGrads);
    }

    private Map<String, INDArray> copies(Map<String, INDArray> w, Map<String, INDArray> b) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String layer : weights.keySet()) {
            out.put(layer + "_W", w.get(layer).dup('c'));
            out.put(layer + "_b", b.get(layer).dup('c').reshape(1, b.get(layer).length()));
        }
        return out;
    }

    /**
     * Training forward pass of one minibatch: per-sample cross-entropy into {@code losses} and, with the decoder,
     * reconstruction MSE into {@code constraints} (zeros without it). {@link #backward} follows.
     *
     * @param features the images of the batch, {@code [b, inputs]} (gathered by the caller, or a row view)
     * @param labels   the class of each image
     */
    public void forward(INDArray features, int[] labels, double[] losses, double[] constraints) {
        int rows = labels.length;
        if (features.rows() != rows) {
            throw new IllegalArgumentException(features.rows() + " images but " + labels.length + " labels");
        }
        if (training == null || training.capacity < rows) {
            training = new Buffers(rows, true);
        }
        Buffers b = training.rows(rows);
        lastDirect = direct && denseRows(features);
        if (lastDirect) {
            directForward(b, features, withDecoder, true);
        } else {
            forward(b, features, withDecoder);
        }
        if (logSums.length < rows) {
            logSums = new double[rows];
        }
        DataBuffer logits = b.logits.data();
        DataBuffer c = b.c == null ? null : b.c.data();
        for (int i = 0; i < rows; i++) {
            logSums[i] = logSumExp(logits, i * classes);
            losses[i] = logSums[i] - logits.getDouble(i * classes + labels[i]);
            constraints[i] = withDecoder ? c.getDouble(i) / inputs : 0.0;
        }
        lastBatch = b;
        lastFeatures = features;
        lastLabels = labels;
    }

    /**
     * Backward pass of the last {@link #forward}: fills {@link #flatGradients} with
     * {@code Σ_i (lossScale/b · ∇CE_i + constraintScale·w_i/b · ∇c_i)}.
     *
     * @param weights the per-sample constraint weights {@code w_i} (ignored when {@code constraintScale} is 0)
     */
    public void backward(double lossScale, double constraintScale, double[] weights) {
        Buffers b = lastBatch;
        if (b == null) {
            throw new IllegalStateException("backward needs a forward pass first");
        }
        int rows = lastLabels.length;
        DataBuffer logits = b.logits.data();
        DataBuffer dlogits = b.dlogits.data();
        DataBuffer gc = b.gc == null ? null : b.gc.data();
        boolean penalised = constraintScale != 0;
        if (penalised && !withDecoder) {
            throw new IllegalArgumentException("a constraint gradient needs the decoder; this model has none");
        }
        if (rowScale.length < rows) {
            rowScale = new float[rows];
        }
        for (int i = 0; i < rows; i++) {
            int base = i * classes;
            for (int k = 0; k < classes; k++) {
                double p = Math.exp(logits.getDouble(base + k) - logSums[i]);
                dlogits.put(base + k, (p - (k == lastLabels[i] ? 1 : 0)) * lossScale / rows);
            }
            if (penalised) {
                // ∂L/∂c_i · ∂c_i/∂(x̂ − x) = (scale·w_i/b) · 2/inputs, in the order the penalty engine always used
                double g = constraintScale * weights[i] / rows * 2.0 / inputs;
                gc.put(i, g);
                rowScale[i] = (float) g;
            }
        }
        if (lastDirect) {
            directBackward(b, lastFeatures, penalised);
        } else {
            backward(b, lastFeatures, penalised);
        }
    }

    private static double logSumExp(DataBuffer logits, int base, int classes) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            max = Math.max(max, logits.getDouble(base + k));
        }
        double sum = 0;
        for (int k = 0; k < classes; k++) {
            sum += Math.exp(logits.getDouble(base + k) - max);
        }
        return max + Math.log(sum);
    }

    private double logSumExp(DataBuffer logits, int base) {
        return logSumExp(logits, base, classes);
    }

    private double[] logSums = new double[0];
    private float[] rowScale = new float[0];
    private boolean lastDirect;
    private Buffers lastBatch;
    private INDArray lastFeatures;
    private int[] lastLabels;

    /** A batch gathered from rows of {@code source} into a reusable buffer ({@code [rows.length, inputs]}). */
    public INDArray gather(INDArray source, int[] rows) {
        if (training == null || training.capacity < rows.length) {
            training = new Buffers(rows.length, true);
        }
        INDArray x = training.rows(rows.length).x;
        if (direct && denseRows(source)) {
            // whole rows, memory to memory (Nd4j.pullRows took about ten times as long)
            ByteBuffer from = FloatMemory.bytes(source);
            ByteBuffer to = FloatMemory.bytes(x);
            int rowBytes = inputs * Float.BYTES;
            long first = source.offset();
            for (int i = 0; i < rows.length; i++) {
                to.put(i * rowBytes, from, Math.toIntExact((first + (long) rows[i] * inputs) * Float.BYTES), rowBytes);
            }
        } else if (source.dataType() == type) {
            Nd4j.pullRows(source, x, 1, rows);
        } else {
            // pullRows copies the bytes without converting between types
            x.assign(source.getRows(rows));
        }
        return x;
    }

    /**
     * Forward pass only, for evaluation: per-sample cross-entropy, reconstruction MSE (if {@code recon} is not
     * null and the model has a decoder) and the number of correct predictions.
     *
     * @param features a row block {@code [b, inputs]}
     * @param ce       receives CE_i at {@code offset + i}
     * @param recon    receives c_i at {@code offset + i}, or null
     */
    public int evaluate(INDArray features, int[] labels, int offset, double[] ce, double[] recon) {
        int rows = Math.toIntExact(features.rows());
        if (evaluation == null || evaluation.capacity < rows) {
            evaluation = new Buffers(rows, false);
        }
        Buffers b = evaluation.rows(rows);
        if (direct && denseRows(features)) {
            directForward(b, features, recon != null && withDecoder, false);
        } else {
            forward(b, features, recon != null && withDecoder);
        }
        int[] correct = new int[1];
        evaluated(b, java.util.Arrays.copyOfRange(labels, offset, offset + rows), new Sink(ce, recon, offset, correct));
        return correct[0];
    }

    /** Reconstructions {@code [b, inputs]} of some images (a new array). */
    public INDArray reconstruct(INDArray features) {
        if (!withDecoder) {
            throw new IllegalStateException("this model has no decoder");
        }
        int rows = Math.toIntExact(features.rows());
        Buffers b = new Buffers(rows, false);
        if (direct && denseRows(features)) {
            directForward(b, features, true, false);
            INDArray out = Nd4j.create(type, rows, inputs);
            MlpKernels.sigmoid(b.a5Bytes, 0, rows, inputs, bias("dec2"), FloatMemory.bytes(out), 0);
            return out;
        }
        forward(b, features, true);
        return b.xh.dup();
    }

    /** The forward pass as ND4J ops (double precision, or another backend). */
    private void forward(Buffers b, INDArray x, boolean decode) {
        Nd4j.gemm(x, w1, b.h1, false, false, 1.0, 0.0);
        b.h1.addiRowVector(biases.get("enc1"));
        Transforms.relu(b.h1, false);
        Nd4j.gemm(b.h1, w2, b.z, false, false, 1.0, 0.0);
        b.z.addiRowVector(biases.get("enc2"));
        Nd4j.gemm(b.z, w3, b.logits, false, false, 1.0, 0.0);
        b.logits.addiRowVector(biases.get("cls"));
        if (decode) {
            Nd4j.gemm(b.z, w4, b.h4, false, false, 1.0, 0.0);
            b.h4.addiRowVector(biases.get("dec1"));
            Transforms.relu(b.h4, false);
            Nd4j.gemm(b.h4, w5, b.a5, false, false, 1.0, 0.0);
            b.a5.addiRowVector(biases.get("dec2"));
            Nd4j.exec(new Sigmoid(b.a5, b.xh));
            b.xh.sub(x, b.diff);
            b.diff.mul(b.diff, b.square);
            b.square.sum(b.c, 1);
        }
    }

    /**
     * The forward pass the direct way. The decoder's bias and sigmoid are applied in the error pass, so {@code a5}
     * holds the product alone; with {@code gradient}, {@code da5} receives {@code (x̂ − x)·x̂(1 − x̂)}, which the
     * backward pass scales row by row.
     */
    private void directForward(Buffers b, INDArray x, boolean decode, boolean gradient) {
        int rows = Math.toIntExact(x.rows());
        DirectGemm.gemm(x, false, w1, false, b.h1, 0f);
        MlpKernels.addBias(b.h1Bytes, 0, rows, hidden, bias("enc1"), true);
        DirectGemm.gemm(b.h1, false, w2, false, b.z, 0f);
        MlpKernels.addBias(b.zBytes, 0, rows, code, bias("enc2"), false);
        DirectGemm.gemm(b.z, false, w3, false, b.logits, 0f);
        MlpKernels.addBias(b.logitsBytes, 0, rows, classes, bias("cls"), false);
        if (decode) {
            DirectGemm.gemm(b.z, false, w4, false, b.h4, 0f);
            MlpKernels.addBias(b.h4Bytes, 0, rows, hidden, bias("dec1"), true);
            DirectGemm.gemm(b.h4, false, w5, false, b.a5, 0f);
            if (errorSums.length < rows) {
                errorSums = new double[rows];
            }
            MlpKernels.sigmoidSquaredError(b.a5Bytes, 0, FloatMemory.bytes(x), Math.toIntExact(x.offset()), rows, inputs,
                    bias("dec2"), errorSums, gradient ? b.da5Bytes : null, 0);
            DataBuffer c = b.c.data();
            for (int i = 0; i < rows; i++) {
                c.put(i, errorSums[i]);
            }
        }
    }

    private double[] errorSums = new double[0];
    private final Map<String, float[]> biasValues = new HashMap<>();
    private float[] columnSums = new float[0];

    /** The current bias of a layer, read from the parameter memory into a reused array. */
    private float[] bias(String layer) {
        INDArray view = biases.get(layer);
        int n = Math.toIntExact(view.length());
        float[] values = biasValues.computeIfAbsent(layer, k -> new float[n]);
        paramFloats.get(Math.toIntExact(view.offset()), values, 0, n);
        return values;
    }

    /** Writes {@code n} column sums as the gradient of a layer's bias. */
    private void putBiasGradient(String layer, float[] sums) {
        INDArray view = biasGrads.get(layer);
        gradFloats.put(Math.toIntExact(view.offset()), sums, 0, Math.toIntExact(view.length()));
    }

    private float[] columnSums(int cols) {
        if (columnSums.length < cols) {
            columnSums = new float[cols];
        }
        return columnSums;
    }

    /** Where evaluation writes its per-sample values. */
    private record Sink(double[] ce, double[] recon, int offset, int[] correct) {
    }

    /** Per-sample cross-entropy, correct predictions and reconstruction MSE of an evaluation batch. */
    private void evaluated(Buffers b, int[] labels, Sink sink) {
        DataBuffer logits = b.logits.data();
        DataBuffer c = b.c == null ? null : b.c.data();
        for (int i = 0; i < labels.length; i++) {
            int base = i * classes;
            int argmax = 0;
            for (int k = 1; k < classes; k++) {
                if (logits.getDouble(base + k) > logits.getDouble(base + argmax)) {
                    argmax = k;
                }
            }
            sink.ce[sink.offset + i] = logSumExp(logits, base) - logits.getDouble(base + labels[i]);
            if (argmax == labels[i]) {
                sink.correct[0]++;
            }
            if (sink.recon != null && withDecoder) {
                sink.recon[sink.offset + i] = c.getDouble(i) / inputs;
            }
        }
    }

    private void backward(Buffers b, INDArray x, boolean penalised) {
        if (withDecoder) {
            if (penalised) {
                // ∂L/∂x̂ = g_i·(x̂ − x), then through the sigmoid
                b.diff.muliColumnVector(b.gc);
                Nd4j.exec(new SigmoidDerivative(b.a5, b.diff, b.da5));
            } else {
                b.da5.assign(0);
            }
            // Saturated sigmoid outputs (x̂ of always-black border pixels) make gradients below float's normal
            // range; BLAS slows down by orders of magnitude on such subnormal numbers (an epoch went from 3.7 s to
            // 27 s as they accumulated), so they are flushed to zero: their contribution is below float precision.
            BooleanIndexing.replaceWhere(b.da5, 0.0, Conditions.absLessThan(SUBNORMAL_FLUSH));
            Nd4j.gemm(b.h4, b.da5, weightGrads.get("dec2"), true, false, 1.0, 0.0);
            b.da5.sum(biasGrads.get("dec2"), 0);
            Nd4j.gemm(b.da5, w5, b.dh4, false, true, 1.0, 0.0);
            Nd4j.exec(new RectifiedLinearDerivative(b.h4, b.dh4, b.dh4));
            Nd4j.gemm(b.z, b.dh4, weightGrads.get("dec1"), true, false, 1.0, 0.0);
            b.dh4.sum(biasGrads.get("dec1"), 0);
        }
        Nd4j.gemm(b.z, b.dlogits, weightGrads.get("cls"), true, false, 1.0, 0.0);
        b.dlogits.sum(biasGrads.get("cls"), 0);
        Nd4j.gemm(b.dlogits, w3, b.dz, false, true, 1.0, 0.0);
        if (withDecoder) {
            Nd4j.gemm(b.dh4, w4, b.dz, false, true, 1.0, 1.0);
        }
        Nd4j.gemm(b.h1, b.dz, weightGrads.get("enc2"), true, false, 1.0, 0.0);
        b.dz.sum(biasGrads.get("enc2"), 0);
        Nd4j.gemm(b.dz, w2, b.dh1, false, true, 1.0, 0.0);
        Nd4j.exec(new RectifiedLinearDerivative(b.h1, b.dh1, b.dh1));
        Nd4j.gemm(x, b.dh1, weightGrads.get("enc1"), true, false, 1.0, 0.0);
        b.dh1.sum(biasGrads.get("enc1"), 0);
    }

    /**
     * The backward pass the direct way (the same products and sums as {@link #backward(Buffers, INDArray, boolean)}).
     * Without a constraint gradient the decoder's gradient is zero, and its products are skipped.
     */
    private void directBackward(Buffers b, INDArray x, boolean penalised) {
        int rows = Math.toIntExact(x.rows());
        float[] sums = columnSums(Math.max(inputs, hidden));
        if (withDecoder && penalised) {
            // subnormal gradients of saturated pixels are flushed (see backward): BLAS slows down on them
            MlpKernels.scaleRows(b.da5Bytes, 0, rows, inputs, rowScale, (float) SUBNORMAL_FLUSH, sums);
            putBiasGradient("dec2", sums);
            DirectGemm.gemm(b.h4, true, b.da5, false, weightGrads.get("dec2"), 0f);
            DirectGemm.gemm(b.da5, false, w5, true, b.dh4, 0f);
            MlpKernels.reluBackward(b.dh4Bytes, 0, b.h4Bytes, 0, rows, hidden, sums);
            putBiasGradient("dec1", sums);
            DirectGemm.gemm(b.z, true, b.dh4, false, weightGrads.get("dec1"), 0f);
        } else if (withDecoder) {
            for (String layer : DECODER_LAYERS) {
                weightGrads.get(layer).assign(0);
                biasGrads.get(layer).assign(0);
            }
        }
        MlpKernels.columnSums(b.dlogitsBytes, 0, rows, classes, sums);
        putBiasGradient("cls", sums);
        DirectGemm.gemm(b.z, true, b.dlogits, false, weightGrads.get("cls"), 0f);
        DirectGemm.gemm(b.dlogits, false, w3, true, b.dz, 0f);
        if (withDecoder && penalised) {
            DirectGemm.gemm(b.dh4, false, w4, true, b.dz, 1f);
        }
        DirectGemm.gemm(b.h1, true, b.dz, false, weightGrads.get("enc2"), 0f);
        MlpKernels.columnSums(b.dzBytes, 0, rows, code, sums);
        putBiasGradient("enc2", sums);
        DirectGemm.gemm(b.dz, false, w2, true, b.dh1, 0f);
        MlpKernels.reluBackward(b.dh1Bytes, 0, b.h1Bytes, 0, rows, hidden, sums);
        putBiasGradient("enc1", sums);
        DirectGemm.gemm(x, true, b.dh1, false, weightGrads.get("enc1"), 0f);
    }

    /** Activation and gradient buffers for up to {@code capacity} rows, with cached views of fewer rows. */
    private final class Buffers {
        final int capacity;
        final INDArray x;
        final INDArray h1;
        final INDArray z;
        final INDArray logits;
        final INDArray h4;
        final INDArray a5;
        final INDArray xh;
        final INDArray diff;
        final INDArray square;
        final INDArray c;
        final INDArray dlogits;
        final INDArray gc;
        final INDArray da5;
        final INDArray dh4;
        final INDArray dz;
        final INDArray dh1;
        final ByteBuffer h1Bytes;
        final ByteBuffer zBytes;
        final ByteBuffer logitsBytes;
        final ByteBuffer h4Bytes;
        final ByteBuffer a5Bytes;
        final ByteBuffer dlogitsBytes;
        final ByteBuffer da5Bytes;
        final ByteBuffer dh4Bytes;
        final ByteBuffer dzBytes;
        final ByteBuffer dh1Bytes;
        private final Map<Integer, Buffers> views;

        Buffers(int capacity, boolean backward) {
            this.capacity = capacity;
            this.views = new HashMap<>();
            x = backward ? matrix(capacity, inputs) : null;
            h1 = matrix(capacity, hidden);
            z = matrix(capacity, code);
            logits = matrix(capacity, classes);
            h4 = withDecoder ? matrix(capacity, hidden) : null;
            a5 = withDecoder ? matrix(capacity, inputs) : null;
            // the ND4J way's decoder error terms (the direct way computes them in one pass)
            xh = withDecoder && !direct ? matrix(capacity, inputs) : null;
            diff = withDecoder && !direct ? matrix(capacity, inputs) : null;
            square = withDecoder && !direct ? matrix(capacity, inputs) : null;
            c = withDecoder ? Nd4j.create(type, capacity) : null;
            dlogits = backward ? matrix(capacity, classes) : null;
            gc = backward && withDecoder ? matrix(capacity, 1) : null;
            da5 = backward && withDecoder ? matrix(capacity, inputs) : null;
            dh4 = backward && withDecoder ? matrix(capacity, hidden) : null;
            dz = backward ? matrix(capacity, code) : null;
            dh1 = backward ? matrix(capacity, hidden) : null;
            h1Bytes = byteView(h1);
            zBytes = byteView(z);
            logitsBytes = byteView(logits);
            h4Bytes = byteView(h4);
            a5Bytes = byteView(a5);
            dlogitsBytes = byteView(dlogits);
            da5Bytes = byteView(da5);
            dh4Bytes = byteView(dh4);
            dzBytes = byteView(dz);
            dh1Bytes = byteView(dh1);
        }

        /** The first {@code rows} rows of every buffer (views; the same object for the same count). */
        private Buffers(Buffers of, int rows) {
            capacity = rows;
            views = null;
            x = head(of.x, rows);
            h1 = head(of.h1, rows);
            z = head(of.z, rows);
            logits = head(of.logits, rows);
            h4 = head(of.h4, rows);
            a5 = head(of.a5, rows);
            xh = head(of.xh, rows);
            diff = head(of.diff, rows);
            square = head(of.square, rows);
            c = of.c == null ? null : of.c.get(NDArrayIndex.interval(0, rows));
            dlogits = head(of.dlogits, rows);
            gc = head(of.gc, rows);
            da5 = head(of.da5, rows);
            dh4 = head(of.dh4, rows);
            dz = head(of.dz, rows);
            dh1 = head(of.dh1, rows);
            h1Bytes = of.h1Bytes;
            zBytes = of.zBytes;
            logitsBytes = of.logitsBytes;
            h4Bytes = of.h4Bytes;
            a5Bytes = of.a5Bytes;
            dlogitsBytes = of.dlogitsBytes;
            da5Bytes = of.da5Bytes;
            dh4Bytes = of.dh4Bytes;
            dzBytes = of.dzBytes;
            dh1Bytes = of.dh1Bytes;
        }

        private ByteBuffer byteView(INDArray a) {
            return direct && a != null ? FloatMemory.bytes(a) : null;
        }

        Buffers rows(int rows) {
            if (rows == capacity || views == null) {
                return this;
            }
            return views.computeIfAbsent(rows, r -> new Buffers(this, r));
        }

        private INDArray matrix(int rows, int cols) {
            return Nd4j.create(type, new long[]{rows, cols}, 'c');
        }

        private static INDArray head(INDArray a, int rows) {
            return a == null ? null : a.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
        }
    }
}
