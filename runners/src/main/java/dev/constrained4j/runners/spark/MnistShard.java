package dev.constrained4j.runners.spark;

import dev.constrained4j.data.DataException;
import dev.constrained4j.data.mnist.IdxFile;
import dev.constrained4j.data.mnist.MnistData;
import dev.constrained4j.models.mnist.MnistModelConfig;
import java.io.Serializable;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One partition of an MNIST split: the images {@code start … start + size − 1} of the (limited) split, read on the
 * executor from the IDX files, kept as raw bytes (one per pixel, as in the file) and turned into the
 * {@link MnistData} the engine reads when first used there. Partition {@code p} of {@code P} over {@code N} images
 * holds {@code ⌊pN/P⌋ … ⌊(p+1)N/P⌋ − 1}: contiguous and balanced, so one partition holds the whole split in its order.
 */
final class MnistShard implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int partition;
    private final int start;
    private final int total;
    private final byte[] pixels;
    private final byte[] labels;
    private final int rows;
    private final int cols;
    private transient MnistData data;

    MnistShard(int partition, int start, int total, byte[] pixels, byte[] labels, int rows, int cols) {
        this.partition = partition;
        this.start = start;
        this.total = total;
        this.pixels = pixels;
        this.labels = labels;
        this.rows = rows;
        this.cols = cols;
    }

    /**
     * Reads partition {@code partition} of {@code partitions} of a split, as {@link MnistData#load} reads the split.
     *
     * @param limit the first {@code limit} images of the split, or 0 for all
     * @throws DataException for missing or corrupt files, or images that are not 28×28
     */
    static MnistShard read(Path dir, boolean train, int limit, int partition, int partitions) {
        String prefix = train ? "train" : "t10k";
        IdxFile images = IdxFile.read(MnistData.locate(dir, prefix + "-images-idx3-ubyte"), 3);
        IdxFile labels = IdxFile.read(MnistData.locate(dir, prefix + "-labels-idx1-ubyte"), 1);
        int n = images.dimensions()[0];
        if (labels.dimensions()[0] != n) {
            throw new DataException(images.path() + " has " + n + " images but " + labels.path() + " has "
                    + labels.dimensions()[0] + " labels; use the four files of one MNIST copy");
        }
        int rows = images.dimensions()[1];
        int cols = images.dimensions()[2];
        if (rows * cols != MnistModelConfig.reference().inputs()) {
            throw new DataException(dir + " holds " + rows + "x" + cols + " images; the model expects 28x28 MNIST images");
        }
        int count = limit == 0 ? n : Math.min(limit, n);
        int from = first(partition, partitions, count);
        int to = first(partition + 1, partitions, count);
        int pixels = rows * cols;
        byte[] x = java.util.Arrays.copyOfRange(images.data(), from * pixels, to * pixels);
        byte[] y = java.util.Arrays.copyOfRange(labels.data(), from, to);
        for (int i = 0; i < y.length; i++) {
            if ((y[i] & 0xFF) >= MnistData.CLASSES) {
                throw new DataException(labels.path() + " is corrupt: label " + (from + i) + " is " + (y[i] & 0xFF)
                        + ", expected 0..9");
            }
        }
        return new MnistShard(partition, from, count, x, y, rows, cols);
    }

    /** The first image of partition {@code p} of {@code partitions} over {@code n} images. */
    static int first(int p, int partitions, int n) {
        return (int) ((long) p * n / partitions);
    }

    /** The partition's number. */
    int partition() {
        return partition;
    }

    /** The index in the whole split of this shard's first image. */
    int start() {
        return start;
    }

    /** The number of images of the whole (limited) split. */
    int total() {
        return total;
    }

    /** The number of images here. */
    int size() {
        return labels.length;
    }

    /** Raw pixels of image {@code local} (0–255 as unsigned bytes), a copy. */
    byte[] rawImage(int local) {
        int p = rows * cols;
        return java.util.Arrays.copyOfRange(pixels, local * p, (local + 1) * p);
    }

    /** The images as the engines read them (pixels / 255 in float, one-hot labels), made on first use. */
    synchronized MnistData data() {
        if (data == null) {
            data = MnistData.fromBytes(pixels, labels, 0, labels.length, rows, cols, DataType.FLOAT);
        }
        return data;
    }

    int rows() {
        return rows;
    }

    int cols() {
        return cols;
    }

    /** The label of image {@code local}. */
    byte label(int local) {
        return labels[local];
    }
}
