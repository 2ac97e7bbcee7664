package dev.constrained4j.losses.method;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Multipliers in a memory-mapped file of little-endian floats, for training sets whose multipliers should not live
 * on the Java heap (10⁸ samples: 400 MB). The file is mapped in segments of 2²⁸ floats (1 GiB); pages are read and
 * written by the operating system as the samples are visited, so the heap holds only the segment objects. A new
 * file is sparse: its multipliers start at zero.
 */
public final class MappedMultipliers implements MultiplierStore {

    private static final int SEGMENT_BITS = 28;
    private static final long SEGMENT = 1L << SEGMENT_BITS;

    private final long size;
    private final FileChannel channel;
    private final FloatBuffer[] segments;

    /**
     * Maps {@code size} multipliers onto {@code file}, creating it (all zero) or reusing its values when it
     * already holds exactly {@code size} floats.
     */
    public MappedMultipliers(Path file, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("number of multipliers must be >= 0, got " + size);
        }
        this.size = size;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            long bytes = size * Float.BYTES;
            if (channel.size() != bytes) {
                channel.truncate(0);
                if (bytes > 0) {
                    channel.write(java.nio.ByteBuffer.allocate(1), bytes - 1);
                }
            }
            int count = (int) ((size + SEGMENT - 1) >>> SEGMENT_BITS);
            segments = new FloatBuffer[count];
            for (int s = 0; s < count; s++) {
                long first = (long) s << SEGMENT_BITS;
                long length = Math.min(SEGMENT, size - first);
                MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, first * Float.BYTES,
                        length * Float.BYTES);
                segments[s] = map.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + size + " multipliers onto " + file + ": " + e.getMessage(),
                    e);
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public float get(long index) {
        return segments[(int) (index >>> SEGMENT_BITS)].get((int) (index & (SEGMENT - 1)));
    }

    @Override
    public void set(long index, float value) {
        segments[(int) (index >>> SEGMENT_BITS)].put((int) (index & (SEGMENT - 1)), value);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
