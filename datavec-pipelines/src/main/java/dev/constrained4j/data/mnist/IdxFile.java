package dev.constrained4j.data.mnist;

import dev.constrained4j.data.DataException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * One IDX file of unsigned bytes (the format of the original MNIST distribution), raw or gzipped: a 4-byte
 * magic number {@code 0x0000 08 NDIM}, {@code NDIM} big-endian 32-bit dimensions, then the data.
 * Gzip is detected from the file's first two bytes, not its name.
 *
 * @param path       where it was read from
 * @param dimensions the dimensions from the header
 * @param data       the values, row-major
 */
public record IdxFile(Path path, int[] dimensions, byte[] data) {

    /** Type code of unsigned bytes, the only element type MNIST uses. */
    private static final int UNSIGNED_BYTE = 0x08;

    /**
     * Reads an IDX file and checks that it has {@code expectedRank} dimensions.
     *
     * @throws DataException if the file is missing, not gzip or IDX, truncated, or of another rank
     */
    public static IdxFile read(Path path, int expectedRank) {
        if (!Files.isRegularFile(path)) {
            throw new DataException("MNIST file not found: " + path
                    + " (point --data-dir at a folder with the four IDX files, raw or .gz)");
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(open(path), 1 << 16))) {
            int magic = in.readInt();
            if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xFF) != UNSIGNED_BYTE || (magic & 0xFF) != expectedRank) {
                throw new DataException(String.format(
                        "%s is not an IDX file of unsigned bytes with %d dimensions (magic number 0x%08X, expected 0x%08X);"
                                + " re-create it with scripts/make-mnist-data.sh",
                        path, expectedRank, magic, (UNSIGNED_BYTE << 8) | expectedRank));
            }
            int[] dims = new int[expectedRank];
            long size = 1;
            for (int i = 0; i < expectedRank; i++) {
                dims[i] = in.readInt();
                if (dims[i] <= 0) {
                    throw new DataException(path + " is corrupt: dimension " + i + " is " + dims[i]
                            + "; re-create it with scripts/make-mnist-data.sh");
                }
                size *= dims[i];
            }
            if (size > Integer.MAX_VALUE - 8) {
                throw new DataException(path + " is corrupt: header " + Arrays.toString(dims) + " announces " + size
                        + " values, more than an IDX file can hold; re-create it with scripts/make-mnist-data.sh");
            }
            byte[] data = new byte[(int) size];
            try {
                in.readFully(data);
            } catch (EOFException e) {
                throw new DataException(path + " is truncated: header " + Arrays.toString(dims) + " announces "
                        + size + " bytes of data; re-create it with scripts/make-mnist-data.sh", e);
            }
            if (in.read() != -1) {
                throw new DataException(path + " is corrupt: it has data after the " + size + " bytes that its header "
                        + Arrays.toString(dims) + " announces; re-create it with scripts/make-mnist-data.sh");
            }
            return new IdxFile(path, dims, data);
        } catch (EOFException e) {
            throw new DataException(path + " is truncated: it ends inside its header; re-create it with"
                    + " scripts/make-mnist-data.sh", e);
        } catch (ZipException e) {
            throw new DataException(path + " is a corrupt gzip file (" + e.getMessage()
                    + "); re-create it with scripts/make-mnist-data.sh", e);
        } catch (NoSuchFileException e) {
            throw new DataException("MNIST file not found: " + path, e);
        } catch (IOException e) {
            throw new DataException("cannot read " + path + ": " + e, e);
        }
    }

    private static InputStream open(Path path) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        return (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(raw, 1 << 16) : raw;
    }
}
