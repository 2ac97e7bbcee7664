package dev.constrained4j.data.mnist;

import dev.constrained4j.data.DataException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One MNIST split in memory: images flattened to {@code [n, 784]} with pixels scaled to [0, 1] (no mean/std
 * normalisation, as the reference) and one-hot labels {@code [n, 10]}.
 *
 * @param features pixel values in [0, 1], {@code [n, rows*cols]}
 * @param labels   one-hot labels, {@code [n, 10]}
 * @param classes  the class of each example
 * @param rows     image height
 * @param cols     image width
 */
public record MnistData(INDArray features, INDArray labels, int[] classes, int rows, int cols) {

    public static final int CLASSES = 10;

    /** The number of examples. */
    public int size() {
        return classes.length;
    }

    /**
     * Loads one split from {@code dir}: {@code train-images-idx3-ubyte[.gz]} and {@code train-labels-idx1-ubyte[.gz]},
     * or the {@code t10k-} files when {@code train} is false.
     *
     * @param limit at most this many examples (the first ones), or 0 for all
     */
    public static MnistData load(Path dir, boolean train, int limit, DataType type) {
        IdxFile[] files = read(dir, train);
        IdxFile images = files[0];
        IdxFile labels = files[1];
        int n = images.dimensions()[0];
        if (labels.dimensions()[0] != n) {
            throw new DataException(images.path() + " has " + n + " images but " + labels.path() + " has "
                    + labels.dimensions()[0] + " labels; use the four files of one MNIST copy");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        int count = limit == 0 ? n : Math.min(limit, n);
        for (int i = 0; i < count; i++) {
            int c = labels.data()[i] & 0xFF;
            if (c >= CLASSES) {
                throw new DataException(labels.path() + " is corrupt: label " + i + " is " + c + ", expected 0..9");
            }
        }
        return fromBytes(images.data(), labels.data(), 0, count, images.dimensions()[1], images.dimensions()[2], type);
    }

    /** Splits being read in the background by {@link #prefetch}, by folder and split, until {@link #load} takes them. */
    private static final Map<String, CompletableFuture<IdxFile[]>> PREFETCHED = new ConcurrentHashMap<>();

    /**
     * Starts reading (and un-gzipping) both splits' IDX files of {@code dir} on a background thread, without ND4J, so
     * that they are read while ND4J loads its native libraries; the next {@link #load} of a split takes the bytes read
     * (or the error met, thrown as if read then). Start-up to the first iteration: docs/mnist-speed.md.
     */
    public static void prefetch(Path dir) {
        for (boolean train : new boolean[]{true, false}) {
            PREFETCHED.computeIfAbsent(key(dir, train), k -> CompletableFuture.supplyAsync(() -> readNow(dir, train)));
        }
    }

    private static IdxFile[] read(Path dir, boolean train) {
        CompletableFuture<IdxFile[]> pending = PREFETCHED.remove(key(dir, train));
        if (pending == null) {
            return readNow(dir, train);
        }
        try {
            return pending.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static IdxFile[] readNow(Path dir, boolean train) {
        String prefix = train ? "train" : "t10k";
        return new IdxFile[]{IdxFile.read(locate(dir, prefix + "-images-idx3-ubyte"), 3),
                IdxFile.read(locate(dir, prefix + "-labels-idx1-ubyte"), 1)};
    }

    private static String key(Path dir, boolean train) {
        return dir.toAbsolutePath().normalize() + (train ? "#train" : "#t10k");
    }

    /**
     * The examples {@code first … first + count − 1} of raw IDX data: pixels as unsigned bytes, {@code rows·cols} per
     * image, scaled to [0, 1] as {@code (byte & 0xFF) / 255f}; labels as unsigned bytes. {@link #load} reads a split
     * through it, and a data-parallel runner one partition of a split, so both hold the same numbers.
     *
     * @throws IllegalArgumentException for a label outside 0..9
     */
    public static MnistData fromBytes(byte[] pixels, byte[] labels, int first, int count, int rows, int cols,
                                      DataType type) {
        int perImage = rows * cols;
        int offset = first * perImage;
        int[] classes = new int[count];
        float[] y = new float[count * CLASSES];
        for (int i = 0; i < count; i++) {
            int c = labels[first + i] & 0xFF;
            if (c >= CLASSES) {
                throw new IllegalArgumentException("label " + (first + i) + " is " + c + ", expected 0..9");
            }
            classes[i] = c;
            y[i * CLASSES + c] = 1f;
        }
        // the pixels go straight into ND4J's memory: a float[] of the whole split on the heap first (188 MB for
        // MNIST's training set) left the heap that large for the rest of the run (docs/mnist-speed.md)
        INDArray features = Nd4j.create(type, count, perImage);
        if (type == DataType.FLOAT) {
            FloatBuffer into = features.data().asNioFloat();
            for (int i = 0; i < count * perImage; i++) {
                into.put(i, (pixels[offset + i] & 0xFF) / 255f);
            }
        } else {
            float[] row = new float[perImage];
            for (int i = 0; i < count; i++) {
                for (int j = 0; j < perImage; j++) {
                    row[j] = (pixels[offset + i * perImage + j] & 0xFF) / 255f;
                }
                features.putRow(i, Nd4j.createFromArray(row).castTo(type));
            }
        }
        INDArray oneHot = Nd4j.create(y, new long[]{count, CLASSES}, 'c').castTo(type);
        return new MnistData(features, oneHot, classes, rows, cols);
    }

    /** The path of an IDX file in {@code dir}, gzipped ({@code .gz}) or raw, whichever exists. */
    public static Path locate(Path dir, String baseName) {
        Path gz = dir.resolve(baseName + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path raw = dir.resolve(baseName);
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        throw new DataException("MNIST file not found: " + gz + " (nor " + raw.getFileName()
                + "); point --data-dir at a folder with the four MNIST IDX files, or run scripts/make-mnist-data.sh");
    }
}
