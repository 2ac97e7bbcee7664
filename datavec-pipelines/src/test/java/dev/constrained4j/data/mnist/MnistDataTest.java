package dev.constrained4j.data.mnist;

import static dev.constrained4j.data.mnist.IdxBytes.gzip;
import static dev.constrained4j.data.mnist.IdxBytes.idx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.data.DataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The MNIST copy shipped in {@code data/mnist} (docs/experiments.md, "Data that ships or can be rebuilt offline") and
 * how {@link MnistData} reads IDX files.
 */
class MnistDataTest {

    /** The first labels of the original MNIST training and test sets. */
    static final int[] FIRST_TRAIN_LABELS = {5, 0, 4, 1, 9, 2, 1, 3, 1, 4};
    static final int[] FIRST_TEST_LABELS = {7, 2, 1, 0, 4, 1, 4, 9, 5, 9};

    static Path shipped;
    static MnistData train;
    static MnistData test;

    @TempDir
    Path temp;

    @BeforeAll
    static void loadShippedTrainingSet() {
        shipped = shippedMnist();
        train = MnistData.load(shipped, true, 0, DataType.FLOAT);
        test = MnistData.load(shipped, false, 0, DataType.FLOAT);
    }

    /** {@code data/mnist} of the repository: surefire runs in the module folder, so walk up to it. */
    static Path shippedMnist() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("data").resolve("mnist");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no data/mnist above " + System.getProperty("user.dir"));
    }

    @Test
    void shippedFilesAreTheOriginalMnist() {
        assertEquals(MnistFiles.SHA256, MnistFiles.checksums(shipped));
        assertTrue(MnistFiles.isOriginal(shipped));
    }

    @Test
    void trainingSetHasSixtyThousandImagesOf28By28() {
        assertEquals(60_000, train.size());
        assertEquals(28, train.rows());
        assertEquals(28, train.cols());
        assertArrayEquals(new long[]{60_000, 784}, train.features().shape());
        assertArrayEquals(new long[]{60_000, 10}, train.labels().shape());
        assertEquals(DataType.FLOAT, train.features().dataType());
        assertPixelsAndLabels(train, FIRST_TRAIN_LABELS);
    }

    @Test
    void testSetHasTenThousandImages() {
        assertEquals(10_000, test.size());
        assertArrayEquals(new long[]{10_000, 784}, test.features().shape());
        assertPixelsAndLabels(test, FIRST_TEST_LABELS);
    }

    private static void assertPixelsAndLabels(MnistData data, int[] firstLabels) {
        assertEquals(0.0, data.features().minNumber().doubleValue(), 0.0);
        assertEquals(1.0, data.features().maxNumber().doubleValue(), 0.0);
        INDArray rowSums = data.labels().sum(1);
        assertEquals(Nd4j.ones(DataType.FLOAT, data.size()), rowSums, "one-hot rows sum to 1");
        assertEquals(data.size(), data.labels().eq(1.0f).castTo(DataType.INT32).sumNumber().intValue(),
                "exactly one 1 per row");
        assertArrayEquals(firstLabels, Arrays.copyOf(data.classes(), firstLabels.length));
        int[] argMax = data.labels().argMax(1).toIntVector();
        assertArrayEquals(data.classes(), argMax, "one-hot rows match the classes");
        int[] counts = new int[MnistData.CLASSES];
        for (int c : data.classes()) {
            counts[c]++;
        }
        for (int c = 0; c < counts.length; c++) {
            assertTrue(counts[c] > data.size() / 20, "class " + c + " occurs " + counts[c] + " times");
        }
    }

    @Test
    void limitKeepsTheFirstExamples() {
        MnistData first = MnistData.load(shipped, false, 100, DataType.DOUBLE);
        assertEquals(100, first.size());
        assertArrayEquals(new long[]{100, 784}, first.features().shape());
        assertEquals(DataType.DOUBLE, first.features().dataType());
        assertEquals(test.features().get(NDArrayIndex.interval(0, 100), NDArrayIndex.all()).castTo(DataType.DOUBLE),
                first.features());
        assertEquals(test.labels().get(NDArrayIndex.interval(0, 100), NDArrayIndex.all()).castTo(DataType.DOUBLE),
                first.labels());
        assertArrayEquals(Arrays.copyOf(test.classes(), 100), first.classes());
        // a limit above the size is the whole set
        assertEquals(10_000, MnistData.load(shipped, false, 1_000_000, DataType.FLOAT).size());
        assertThrows(IllegalArgumentException.class, () -> MnistData.load(shipped, false, -1, DataType.FLOAT));
    }

    @Test
    void pixelsAreBytesOver255AndRawFilesReadLikeGzipped() throws IOException {
        byte[] pixels = {0, 1, 127, (byte) 128, (byte) 200, (byte) 255, 3, 4};
        Files.write(temp.resolve("t10k-images-idx3-ubyte"), idx(new int[]{2, 2, 2}, pixels));
        Files.write(temp.resolve("t10k-labels-idx1-ubyte.gz"), gzip(idx(new int[]{2}, new byte[]{9, 0})));
        MnistData data = MnistData.load(temp, false, 0, DataType.DOUBLE);
        assertEquals(2, data.rows());
        assertEquals(2, data.cols());
        double[] expected = new double[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            expected[i] = (float) ((pixels[i] & 0xFF) / 255.0);
        }
        assertArrayEquals(expected, data.features().reshape(-1).toDoubleVector(), 0.0);
        assertArrayEquals(new int[]{9, 0}, data.classes());
        assertArrayEquals(new double[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, data.labels().getRow(0).toDoubleVector(), 0.0);
        assertArrayEquals(new double[]{1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, data.labels().getRow(1).toDoubleVector(), 0.0);
    }

    @Test
    void imagesAndLabelsOfDifferentCountsAreRefused() throws IOException {
        Files.write(temp.resolve("train-images-idx3-ubyte.gz"), gzip(idx(new int[]{3, 2, 2}, new byte[12])));
        Files.write(temp.resolve("train-labels-idx1-ubyte.gz"), gzip(idx(new int[]{2}, new byte[]{1, 2})));
        DataException e = assertThrows(DataException.class, () -> MnistData.load(temp, true, 0, DataType.FLOAT));
        assertOneLine(e, "3 images", "2 labels", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz");
    }

    @Test
    void labelOutsideZeroToNineIsRefused() throws IOException {
        Files.write(temp.resolve("train-images-idx3-ubyte"), idx(new int[]{2, 1, 1}, new byte[2]));
        Files.write(temp.resolve("train-labels-idx1-ubyte"), idx(new int[]{2}, new byte[]{3, 10}));
        DataException e = assertThrows(DataException.class, () -> MnistData.load(temp, true, 0, DataType.FLOAT));
        assertOneLine(e, "train-labels-idx1-ubyte", "label 1 is 10");
    }

    /** A prefetched split is the split read directly; a prefetch's error is thrown by the load, as a direct read's. */
    @Test
    void prefetchedSplitsAreReadLikeDirectOnesErrorsIncluded() {
        MnistData.prefetch(shipped);
        MnistData early = MnistData.load(shipped, false, 0, DataType.FLOAT);
        assertEquals(test.features(), early.features());
        assertArrayEquals(test.classes(), early.classes());
        MnistData.prefetch(temp);
        DataException e = assertThrows(DataException.class, () -> MnistData.load(temp, true, 0, DataType.FLOAT));
        assertOneLine(e, "not found", temp.resolve("train-images-idx3-ubyte.gz").toString());
        // the prefetch is taken once: the next load reads again (and here fails the same way)
        assertThrows(DataException.class, () -> MnistData.load(temp, true, 0, DataType.FLOAT));
        MnistData.load(shipped, true, 10, DataType.FLOAT); // takes the shipped training split's prefetch
    }

    @Test
    void missingFilesAreNamed() {
        DataException e = assertThrows(DataException.class, () -> MnistData.load(temp, true, 0, DataType.FLOAT));
        assertOneLine(e, "not found", temp.resolve("train-images-idx3-ubyte.gz").toString());
    }

    private static void assertOneLine(DataException e, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should contain '" + fragment + "'");
        }
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
