package dev.constrained4j.models.blas;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float matrix products straight through the OpenBLAS that ND4J itself loads ({@code org.bytedeco:openblas}, the
 * same library and the same thread count that {@code Nd4j.factory().blas().setMaxThreads} sets), on the memory of
 * ND4J arrays. {@code Nd4j.gemm} builds a custom-op context around every call: measured on the 2-core AMD EPYC
 * machine, a {@code [128, 20]×[20, 10]} product took 68 µs through it and 3.4 µs here, {@code [128, 256]×[256, 20]}
 * 87 µs against 33 µs; the large products of the MNIST model run at the same rate both ways (docs/mnist-speed.md).
 * Used by the fused MNIST engine and by the fused HiDDeN engine's weight gradients, on the CPU backend only
 * ({@link #available}).
 */
public final class DirectGemm {

    private static final boolean AVAILABLE = probe();

    private DirectGemm() {
    }

    /** Whether this process can call OpenBLAS directly: the CPU backend, whose OpenBLAS is then loaded. */
    public static boolean available() {
        return AVAILABLE;
    }

    private static boolean probe() {
        if (!"CpuBackend".equals(Nd4j.getBackend().getClass().getSimpleName())) {
            return false;
        }
        try {
            Class.forName("org.bytedeco.openblas.global.openblas_nolapack");
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * {@code c ← op(a)·op(b) + beta·c} for row-major float matrices (views with an offset included), where
     * {@code op(m)} is {@code mᵀ} when its flag is set.
     */
    public static void gemm(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c, float beta) {
        int m = rows(c);
        int n = cols(c);
        int k = transposeA ? rows(a) : cols(a);
        int kb = transposeB ? cols(b) : rows(b);
        int ma = transposeA ? cols(a) : rows(a);
        int nb = transposeB ? rows(b) : cols(b);
        if (k != kb || m != ma || n != nb) {
            throw new IllegalArgumentException("gemm shapes do not match: " + shape(a, transposeA) + " × "
                    + shape(b, transposeB) + " into " + shape(c, false));
        }
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                transposeA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transposeB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                m, n, k, 1f, pointer(a), leading(a), pointer(b), leading(b), beta, pointer(c), leading(c));
    }

    /**
     * {@code C ← alpha·op(A)·op(B) + beta·C} on blocks of row-major float arrays: {@code A} starts {@code aAt}
     * elements after {@code a}'s first element and has leading dimension {@code lda} (likewise B and C), so that a
     * product can read shifted or strided windows of a larger array without a view per call. The caller keeps the
     * blocks inside the arrays.
     */
    public static void gemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha,
                            INDArray a, long aAt, int lda, INDArray b, long bAt, int ldb, float beta,
                            INDArray c, long cAt, int ldc) {
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                transposeA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transposeB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                m, n, k, alpha, pointer(a).position(a.offset() + aAt), lda, pointer(b).position(b.offset() + bAt), ldb,
                beta, pointer(c).position(c.offset() + cAt), ldc);
    }

    private static FloatPointer pointer(INDArray a) {
        if (a.dataType() != DataType.FLOAT || a.ordering() != 'c' || a.stride(a.rank() - 1) != 1) {
            throw new IllegalArgumentException("gemm needs a row-major float matrix with unit column stride, got "
                    + a.dataType() + " " + a.ordering() + " " + java.util.Arrays.toString(a.stride()));
        }
        return new FloatPointer(root(a).addressPointer()).position(a.offset());
    }

    /**
     * The buffer that an array's {@link INDArray#offset()} counts from. A view's own {@code data()} is a view
     * buffer whose address already includes the offset, while its {@code asNio()} starts at the parent's first
     * element, so both go through the root buffer.
     */
    public static DataBuffer root(INDArray a) {
        DataBuffer d = a.data();
        return d.originalDataBuffer() != null ? d.originalDataBuffer() : d;
    }

    private static int leading(INDArray a) {
        return Math.max(1, Math.toIntExact(a.stride(0)));
    }

    private static int rows(INDArray a) {
        return Math.toIntExact(a.size(0));
    }

    private static int cols(INDArray a) {
        return Math.toIntExact(a.size(1));
    }

    private static String shape(INDArray a, boolean transpose) {
        return transpose ? "[" + cols(a) + ", " + rows(a) + "]" : "[" + rows(a) + ", " + cols(a) + "]";
    }
}
