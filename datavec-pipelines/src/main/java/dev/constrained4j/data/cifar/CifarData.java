package dev.constrained4j.data.cifar;

import dev.constrained4j.data.DataException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One CIFAR-10 or CIFAR-100 split in memory (seed 002, §5: Tables 2 and 3), read from the binary distribution
 * ({@link CifarFormat}): images {@code [n, 3, 32, 32]} (NCHW, float) with pixels scaled to [0, 1], one class index
 * per image, and the per-channel mean and standard deviation of those pixels (population statistics over the split;
 * normalise the test split with the training split's, {@link #normalise}). CIFAR-100 uses its fine labels (100
 * classes) unless {@link CifarLabel#COARSE} is asked for. No augmentation (the seed's code adds random 4-pixel crops
 * and horizontal flips for training).
 *
 * <p>Every problem with the files is a {@link DataException} whose one-line message names the file, what is wrong,
 * and the fix: a missing file or folder, a compressed archive where its extracted files belong, an empty file, a size
 * that is not a whole number of records (with a hint when it fits the other format), a bad label value.
 *
 * @param features     pixels {@code [n, 3, 32, 32]}, in [0, 1] as loaded
 * @param labels       the class of each image
 * @param classes      the number of classes of the label used
 * @param channelStats the mean and standard deviation of each channel of the pixels as loaded
 */
public record CifarData(INDArray features, int[] labels, int classes, ChannelStats channelStats) {

    /** Records read and converted at a time (6.3 MB of bytes, 25 MB of floats). */
    private static final int BLOCK = 2048;

    /** The number of images. */
    public int size() {
        return labels.length;
    }

    /** A split's images and fine labels, all of them. */
    public static CifarData load(Path dir, CifarFormat format, boolean train) {
        return load(dir, format, train, CifarLabel.FINE, 0);
    }

    /**
     * Loads the training files ({@code data_batch_1..5.bin}, CIFAR-100 {@code train.bin}) or the test file
     * ({@code test_batch.bin}, {@code test.bin}) from {@code dir}, or from {@code dir/cifar-10-batches-bin} /
     * {@code dir/cifar-100-binary} where the archive was extracted into {@code dir}.
     *
     * @param limit at most this many images (the first ones), or 0 for all
     * @throws DataException if a file is missing, compressed, empty, truncated or has a bad label
     */
    public static CifarData load(Path dir, CifarFormat format, boolean train, CifarLabel label, int limit) {
        Path base = dir;
        if (!Files.isRegularFile(dir.resolve(format.files(train).get(0)))
                && Files.isDirectory(dir.resolve(format.folder()))) {
            base = dir.resolve(format.folder());
        }
        List<Path> files = new ArrayList<>();
        for (String name : format.files(train)) {
            files.add(base.resolve(name));
        }
        return read(files, format, label, limit);
    }

    /** Reads the given files, in order, as one split. */
    public static CifarData read(List<Path> files, CifarFormat format, CifarLabel label, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no files given");
        }
        int classes = format.classes(label);
        long total = 0;
        for (Path f : files) {
            total += records(f, format);
        }
        int n = Math.toIntExact(limit == 0 ? total : Math.min(limit, total));
        INDArray features = Nd4j.create(DataType.FLOAT, n, CifarFormat.CHANNELS, CifarFormat.SIDE, CifarFormat.SIDE);
        int[] labels = new int[n];
        double[] sum = new double[CifarFormat.CHANNELS];
        double[] sumSq = new double[CifarFormat.CHANNELS];
        int plane = CifarFormat.SIDE * CifarFormat.SIDE;
        int recordBytes = format.recordBytes();
        byte[] buffer = new byte[BLOCK * recordBytes];
        float[] pixels = new float[BLOCK * CifarFormat.PIXELS];
        int done = 0;
        for (Path f : files) {
            if (done == n) {
                break;
            }
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 16))) {
                long inFile = records(f, format);
                for (long r = 0; r < inFile && done < n; ) {
                    int block = (int) Math.min(BLOCK, Math.min(inFile - r, n - done));
                    in.readFully(buffer, 0, block * recordBytes);
                    for (int i = 0; i < block; i++) {
                        int at = i * recordBytes;
                        checkLabels(f, format, buffer, at, r + i);
                        labels[done + i] = buffer[at + format.labelOffset(label)] & 0xFF;
                        int from = at + format.labelBytes();
                        for (int c = 0; c < CifarFormat.CHANNELS; c++) {
                            long s = 0;
                            long s2 = 0;
                            for (int p = 0; p < plane; p++) {
                                int v = buffer[from + c * plane + p] & 0xFF;
                                s += v;
                                s2 += (long) v * v;
                                pixels[i * CifarFormat.PIXELS + c * plane + p] = v / 255f;
                            }
                            sum[c] += s;
                            sumSq[c] += s2;
                        }
                    }
                    float[] values = block == BLOCK ? pixels : Arrays.copyOf(pixels, block * CifarFormat.PIXELS);
                    INDArray chunk = Nd4j.create(values, new long[]{block, CifarFormat.CHANNELS, CifarFormat.SIDE,
                            CifarFormat.SIDE}, 'c');
                    features.get(NDArrayIndex.interval(done, done + block), NDArrayIndex.all(), NDArrayIndex.all(),
                            NDArrayIndex.all()).assign(chunk);
                    done += block;
                    r += block;
                }
            } catch (EOFException e) {
                throw new DataException(f + " ended early while being read (was it changed meanwhile?); re-extract "
                        + format.archive(), e);
            } catch (IOException e) {
                throw new DataException("cannot read " + f + ": " + e.getMessage(), e);
            }
        }
        double[] mean = new double[CifarFormat.CHANNELS];
        double[] std = new double[CifarFormat.CHANNELS];
        double count = (double) n * plane * 255 * 255;
        for (int c = 0; c < CifarFormat.CHANNELS; c++) {
            mean[c] = sum[c] / ((double) n * plane * 255);
            double var = sumSq[c] / count - mean[c] * mean[c];
            // a constant channel (possible in tiny files) gets std 1: normalising it only centres it
            std[c] = var > 1e-12 ? Math.sqrt(var) : 1.0;
        }
        return new CifarData(features, labels, classes, new ChannelStats(mean, std));
    }

    /** Normalises the features in place with {@code stats} (the training split's) and returns this split. */
    public CifarData normalise(ChannelStats stats) {
        stats.applyInPlace(features);
        return this;
    }

    /** One-hot labels {@code [n, classes]}. */
    public INDArray oneHot(DataType type) {
        INDArray y = Nd4j.zeros(type, labels.length, classes);
        for (int i = 0; i < labels.length; i++) {
            y.putScalar(i, labels[i], 1.0);
        }
        return y;
    }

    /** The number of whole records in {@code file}, after checking that it is one. */
    static long records(Path file, CifarFormat format) {
        String fix = "download the binary version from https://www.cs.toronto.edu/~kriz/cifar.html and extract it"
                + " (tar xzf " + format.archive() + ")";
        if (Files.isDirectory(file)) {
            throw new DataException(file + " is a folder, expected a " + format + " binary file; " + fix);
        }
        if (!Files.isRegularFile(file)) {
            throw new DataException(format + " file not found: " + file + "; point the data folder at the extracted "
                    + format.folder() + " folder, or " + fix);
        }
        long size;
        byte[] head = new byte[2];
        try (InputStream in = Files.newInputStream(file)) {
            size = Files.size(file);
            in.readNBytes(head, 0, 2);
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (size == 0) {
            throw new DataException(file + " is empty; " + fix);
        }
        if ((head[0] & 0xFF) == 0x1f && (head[1] & 0xFF) == 0x8b) {
            throw new DataException(file + " is gzip-compressed, not a " + format + " binary file; extract the archive"
                    + " (tar xzf " + format.archive() + ") and use the files inside");
        }
        int record = format.recordBytes();
        if (size % record != 0) {
            CifarFormat other = format == CifarFormat.CIFAR10 ? CifarFormat.CIFAR100 : CifarFormat.CIFAR10;
            String hint = size % other.recordBytes() == 0
                    ? " (it is a whole number of " + other + " records of " + other.recordBytes() + " bytes: read it as "
                    + other + "?)"
                    : "";
            throw new DataException(file + " has " + size + " bytes, not a whole number of " + format + " records of "
                    + record + " bytes (" + size / record + " records and " + size % record + " bytes left: truncated"
                    + " or another format)" + hint + "; re-extract " + format.archive());
        }
        return size / record;
    }

    private static void checkLabels(Path file, CifarFormat format, byte[] buffer, int at, long record) {
        if (format == CifarFormat.CIFAR10) {
            int v = buffer[at] & 0xFF;
            if (v >= 10) {
                throw new DataException(file + " is corrupt or not CIFAR-10: record " + record + " (byte "
                        + record * format.recordBytes() + ") has label " + v + ", expected 0..9; re-extract "
                        + format.archive());
            }
            return;
        }
        int coarse = buffer[at] & 0xFF;
        int fine = buffer[at + 1] & 0xFF;
        if (coarse >= 20 || fine >= 100) {
            throw new DataException(file + " is corrupt or not CIFAR-100: record " + record + " (byte "
                    + record * format.recordBytes() + ") has coarse label " + coarse + " (expected 0..19) and fine"
                    + " label " + fine + " (expected 0..99); re-extract " + format.archive());
        }
    }
}
