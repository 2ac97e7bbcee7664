package dev.constrained4j.data.mnist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPOutputStream;

/** Builds IDX files of unsigned bytes in memory for the tests. */
final class IdxBytes {

    private IdxBytes() {
    }

    /** Magic {@code 0x000008NN}, the dimensions big-endian, then {@code data}. */
    static byte[] idx(int[] dims, byte[] data) {
        return idx(0x0800 | dims.length, dims, data);
    }

    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** {@code n} bytes 0, 1, ..., wrapping at 256, so values above 127 occur. */
    static byte[] ramp(int n, int step) {
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) (i * step);
        }
        return data;
    }
}
