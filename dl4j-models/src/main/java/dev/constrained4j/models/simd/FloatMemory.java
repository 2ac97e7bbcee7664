package dev.constrained4j.models.simd;

import dev.constrained4j.models.blas.DirectGemm;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Float elements of native memory (an ND4J buffer seen as a {@link ByteBuffer}) addressed by element index, a SIMD
 * register or one value at a time, in native byte order: what the fused engines' vector loops read and write in
 * place. The register width is the CPU's preferred one.
 */
public final class FloatMemory {

    /** The vector shape of every fused loop. */
    public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private FloatMemory() {
    }

    /**
     * The memory of an array's root buffer in native byte order; the array's own elements start at its
     * {@code offset()} (see {@link DirectGemm#root} for why not the array's own {@code data()}).
     */
    public static ByteBuffer bytes(INDArray a) {
        return DirectGemm.root(a).asNio().order(ORDER);
    }

    /** The register of elements {@code index …} of {@code b}. */
    public static FloatVector load(ByteBuffer b, int index) {
        return FloatVector.fromByteBuffer(SPECIES, b, index * Float.BYTES, ORDER);
    }

    /** Writes {@code v} to elements {@code index …} of {@code b}. */
    public static void store(FloatVector v, ByteBuffer b, int index) {
        v.intoByteBuffer(b, index * Float.BYTES, ORDER);
    }

    /** Element {@code index} of {@code b}, which must be in native order. */
    public static float get(ByteBuffer b, int index) {
        return b.getFloat(index * Float.BYTES);
    }

    /** Sets element {@code index} of {@code b}, which must be in native order. */
    public static void put(ByteBuffer b, int index, float value) {
        b.putFloat(index * Float.BYTES, value);
    }
}
