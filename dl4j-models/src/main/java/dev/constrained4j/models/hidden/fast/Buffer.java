package dev.constrained4j.models.hidden.fast;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A float array off the Java heap that is allocated once and grown only when a larger shape is asked for, with
 * shaped views of its first elements: the noise layers change the decoder's input size from batch to batch and the
 * last batch of an epoch is smaller, and none of that allocates once the largest shape has been seen.
 */
final class Buffer {

    private DataBuffer data;

    /** A {@code c}-ordered view of the first {@code prod(shape)} elements (contents left as they are). */
    INDArray view(long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        if (data == null || data.length() < n) {
            data = Nd4j.createBuffer(DataType.FLOAT, n, false);
        }
        return Nd4j.create(data, shape, Nd4j.getStrides(shape, 'c'), 0, 'c', DataType.FLOAT);
    }

    /** Copies the first {@code n} elements of {@code a} (a view of a {@link Buffer}, or any offset-0 c-array). */
    static void read(INDArray a, float[] into, int n) {
        nio(a).get(0, into, 0, n);
    }

    /** Writes {@code n} elements into {@code a} from the start of {@code from}. */
    static void write(float[] from, INDArray a, int n) {
        nio(a).put(0, from, 0, n);
    }

    /** The elements of a float array in c order (copied straight from memory when it is a plain array). */
    static float[] floats(INDArray a) {
        if (a.dataType() == DataType.FLOAT && plain(a)) {
            float[] out = new float[(int) a.length()];
            nio(a).get(0, out);
            return out;
        }
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /**
     * The memory of a float array in native byte order, for the vector loops to read and write in place (a view of a
     * {@link Buffer}, or any offset-0 c-array); element {@code i} is at byte {@code 4·i}.
     */
    static ByteBuffer bytes(INDArray a) {
        requirePlainFloat(a);
        return a.data().asNio().order(ByteOrder.nativeOrder());
    }

    private static FloatBuffer nio(INDArray a) {
        requirePlainFloat(a);
        return a.data().asNioFloat();
    }

    private static void requirePlainFloat(INDArray a) {
        if (a.dataType() != DataType.FLOAT || !plain(a)) {
            throw new IllegalArgumentException("expected a c-ordered float array at offset 0, got "
                    + a.shapeInfoToString());
        }
    }

    private static boolean plain(INDArray a) {
        return a.offset() == 0 && a.ordering() == 'c' && a.elementWiseStride() == 1;
    }
}
