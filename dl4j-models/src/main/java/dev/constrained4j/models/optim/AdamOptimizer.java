package dev.constrained4j.models.optim;

import dev.constrained4j.models.simd.FloatMemory;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam exactly as PyTorch's {@code torch.optim.Adam(lr, betas, eps, weight_decay)} (no amsgrad), on a set of named
 * parameter arrays updated in place: with coupled L2, {@code g ← g + wd·w} on every parameter (biases included)
 * before the moments (PyTorch's {@code weight_decay}, not AdamW), then
 *
 * <pre>  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  w ← w − (lr/(1−β1^t))·m / (√v/√(1−β2^t) + ε)</pre>
 *
 * The one optimiser of the fused MNIST and HiDDeN engines and of the SameDiff engines' steps. A step is one Java
 * loop per array over its memory, in the arrays' type (float arithmetic for float arrays, as PyTorch's and ND4J's
 * float Adam), with the JDK's vector API: ND4J's {@code axpy} + {@code adam_updater} + {@code subi} took several
 * times as long on the MNIST model's 410k parameters, and the scalar loop, which the JIT did not vectorise, 2.4 ms
 * a step on the 2-core AMD EPYC machine. Float moments and weights below {@value #FLUSH} are stored as zero:
 * weights and moments of always-black MNIST pixels decay into subnormal floats, on which every later product runs
 * orders of magnitude slower, and such values are below float precision anyway.
 *
 * <p>The state (moments and the step count {@code t}) is written and read for checkpoints. Not thread-safe.
 */
public final class AdamOptimizer {

    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPSILON = 1e-8;
    /** Float values of smaller magnitude are stored as zero. */
    static final float FLUSH = 1e-30f;

    private static final VectorSpecies<Float> SPECIES = FloatMemory.SPECIES;
    private static final String MAGIC = "constrained4j-adam";
    private static final int VERSION = 1;

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final Map<String, Moments> moments = new LinkedHashMap<>();
    private double[] doubleW = new double[0];
    private double[] doubleG = new double[0];
    private long step;
    /** Factor on the configured rate of {@link #step(Map, Map)}: a schedule's, set again by its caller every epoch. */
    private double rateScale = 1;

    /** Adam with PyTorch's defaults β = (0.9, 0.999), ε = 1e-8 and no weight decay. */
    public AdamOptimizer(double learningRate) {
        this(learningRate, BETA1, BETA2, EPSILON, 0.0);
    }

    public AdamOptimizer(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {
        if (!Double.isFinite(learningRate) || learningRate <= 0) {
            throw new IllegalArgumentException("learning rate must be a finite number > 0, got " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam's betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("Adam's epsilon must be a finite number > 0, got " + epsilon);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be a finite number >= 0, got " + weightDecay);
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    /**
     * One step on every parameter that has a gradient in {@code gradients}; parameters are updated in place.
     *
     * @throws IllegalArgumentException for a gradient of an unknown parameter or of another length
     */
    public void step(Map<String, INDArray> params, Map<String, INDArray> gradients) {
        step(params, gradients, learningRate * rateScale);
    }

    /**
     * Scales the configured learning rate of {@link #step(Map, Map)} from now on (a step schedule). Not part of
     * {@link #write}: the schedule's owner sets it from the epoch before every epoch, so a resumed run sets it too.
     */
    public void scaleLearningRate(double factor) {
        if (!Double.isFinite(factor) || factor <= 0) {
            throw new IllegalArgumentException("learning rate factor must be a finite number > 0, got " + factor);
        }
        this.rateScale = factor;
    }

    /**
     * One step with the learning rate {@code rate} instead of the configured one (a method that schedules the
     * rate itself, e.g. SAL's reset and decay per augmented-Lagrangian iteration); the moments are the same.
     */
    public void step(Map<String, INDArray> params, Map<String, INDArray> gradients, double rate) {
        if (!Double.isFinite(rate) || rate <= 0) {
            throw new IllegalArgumentException("learning rate must be a finite number > 0, got " + rate);
        }
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        // w -= lr/bc1 · m / (√v/√bc2 + ε)
        double stepSize = rate / bc1;
        double vScale = 1 / Math.sqrt(bc2);
        for (Map.Entry<String, INDArray> e : gradients.entrySet()) {
            INDArray p = params.get(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException("gradient for unknown parameter '" + e.getKey() + "'");
            }
            INDArray g = e.getValue();
            if (g.length() != p.length()) {
                throw new IllegalArgumentException("gradient of '" + e.getKey() + "' has " + g.length()
                        + " values, the parameter " + p.length());
            }
            update(e.getKey(), p, g, stepSize, vScale);
        }
    }

    private void update(String name, INDArray p, INDArray gradient, double stepSize, double vScale) {
        int n = Math.toIntExact(p.length());
        DataType type = p.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("parameter '" + name + "' must be float or double, got " + type);
        }
        INDArray w = whole(p) ? p : p.dup('c');
        INDArray g = gradient.dataType() == type && whole(gradient) ? gradient : gradient.castTo(type).dup('c');
        Moments mv = moments.computeIfAbsent(name, k -> new Moments(type, n));
        if (type == DataType.FLOAT) {
            floatStep(FloatMemory.bytes(w), FloatMemory.bytes(g), mv.floatM, mv.floatV, n, (float) stepSize,
                    (float) vScale);
        } else {
            if (doubleW.length < n) {
                doubleW = new double[n];
                doubleG = new double[n];
            }
            DoubleBuffer wb = w.data().asNioDouble();
            wb.get(0, doubleW, 0, n);
            g.data().asNioDouble().get(0, doubleG, 0, n);
            double[] m = mv.doubleM;
            double[] v = mv.doubleV;
            for (int i = 0; i < n; i++) {
                double gi = doubleG[i] + weightDecay * doubleW[i];
                double mi = beta1 * m[i] + (1 - beta1) * gi;
                double vi = beta2 * v[i] + (1 - beta2) * gi * gi;
                m[i] = mi;
                v[i] = vi;
                doubleW[i] = doubleW[i] - stepSize * mi / (Math.sqrt(vi) * vScale + epsilon);
            }
            wb.put(0, doubleW, 0, n);
        }
        if (w != p) {
            p.assign(w.reshape(p.shape()));
        }
    }

    /**
     * The float step over the parameter and gradient memory in place, a SIMD register at a time (the rest of the
     * array one by one), the same IEEE operations in the same order for every element either way, so the result does
     * not depend on the register width (a float square root equals the double one rounded to float).
     */
    private void floatStep(ByteBuffer w, ByteBuffer g, float[] m, float[] v, int n, float lr, float scale) {
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float c1 = (float) (1 - beta1);
        float c2 = (float) (1 - beta2);
        float wd = (float) weightDecay;
        float eps = (float) epsilon;
        int lanes = SPECIES.length();
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += lanes) {
            FloatVector wi = FloatMemory.load(w, i);
            FloatVector gi = FloatMemory.load(g, i).add(wi.mul(wd));
            FloatVector mi = FloatVector.fromArray(SPECIES, m, i).mul(b1).add(gi.mul(c1));
            FloatVector vi = FloatVector.fromArray(SPECIES, v, i).mul(b2).add(gi.mul(c2).mul(gi));
            wi = wi.sub(mi.mul(lr).div(vi.sqrt().mul(scale).add(eps)));
            mi.blend(0f, mi.abs().compare(VectorOperators.LT, FLUSH)).intoArray(m, i);
            vi.blend(0f, vi.compare(VectorOperators.LT, FLUSH)).intoArray(v, i);
            FloatMemory.store(wi.blend(0f, wi.abs().compare(VectorOperators.LT, FLUSH)), w, i);
        }
        for (; i < n; i++) {
            float wv = FloatMemory.get(w, i);
            float gi = FloatMemory.get(g, i) + wv * wd;
            float mi = m[i] * b1 + gi * c1;
            float vi = v[i] * b2 + gi * c2 * gi;
            float wi = wv - mi * lr / ((float) Math.sqrt(vi) * scale + eps);
            m[i] = Math.abs(mi) < FLUSH ? 0f : mi;
            v[i] = vi < FLUSH ? 0f : vi;
            FloatMemory.put(w, i, Math.abs(wi) < FLUSH ? 0f : wi);
        }
    }

    private static boolean whole(INDArray a) {
        return a.offset() == 0 && a.ordering() == 'c' && a.data().length() == a.length()
                && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(a);
    }

    /** Number of steps taken ({@code t} of the bias correction). */
    public long stepCount() {
        return step;
    }

    /** The moments as named arrays ({@code m/<param>}, {@code v/<param>}), copies. */
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        moments.forEach((k, mv) -> s.put("m/" + k, mv.first()));
        moments.forEach((k, mv) -> s.put("v/" + k, mv.second()));
        return s;
    }

    /** Restores a state written by {@link #state()} and {@link #stepCount()}. */
    public void restore(Map<String, INDArray> state, long stepCount) {
        if (stepCount < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + stepCount);
        }
        moments.clear();
        for (Map.Entry<String, INDArray> e : state.entrySet()) {
            String k = e.getKey();
            boolean first = k.startsWith("m/");
            if (!first && !k.startsWith("v/")) {
                throw new IllegalArgumentException("unknown Adam state entry '" + k + "'");
            }
            INDArray a = e.getValue();
            Moments mv = moments.computeIfAbsent(k.substring(2), x -> new Moments(a.dataType(), (int) a.length()));
            mv.set(first, a);
        }
        this.step = stepCount;
    }

    /** Writes the step count and the moments. */
    public void write(DataOutputStream out) throws IOException {
        out.writeUTF(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(step);
        Map<String, INDArray> s = state();
        out.writeInt(s.size());
        for (Map.Entry<String, INDArray> e : s.entrySet()) {
            out.writeUTF(e.getKey());
            Nd4j.write(e.getValue(), out);
        }
    }

    /** Restores what {@link #write} wrote. */
    public void read(DataInputStream in) throws IOException {
        if (!MAGIC.equals(in.readUTF()) || in.readInt() != VERSION) {
            throw new IOException("not an Adam state (version " + VERSION + ")");
        }
        long steps = in.readLong();
        int n = in.readInt();
        Map<String, INDArray> s = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            s.put(in.readUTF(), Nd4j.read(in));
        }
        restore(s, steps);
    }

    /** First and second moments of one parameter array, in its type. */
    private static final class Moments {
        final float[] floatM;
        final float[] floatV;
        final double[] doubleM;
        final double[] doubleV;

        Moments(DataType type, int n) {
            boolean f = type == DataType.FLOAT;
            floatM = f ? new float[n] : null;
            floatV = f ? new float[n] : null;
            doubleM = f ? null : new double[n];
            doubleV = f ? null : new double[n];
        }

        INDArray first() {
            return floatM != null ? Nd4j.createFromArray(floatM.clone()) : Nd4j.createFromArray(doubleM.clone());
        }

        INDArray second() {
            return floatV != null ? Nd4j.createFromArray(floatV.clone()) : Nd4j.createFromArray(doubleV.clone());
        }

        void set(boolean first, INDArray a) {
            if (floatM != null) {
                float[] values = a.castTo(DataType.FLOAT).dup('c').toFloatVector();
                System.arraycopy(values, 0, first ? floatM : floatV, 0, values.length);
            } else {
                double[] values = a.castTo(DataType.DOUBLE).dup('c').toDoubleVector();
                System.arraycopy(values, 0, first ? doubleM : doubleV, 0, values.length);
            }
        }
    }
}
