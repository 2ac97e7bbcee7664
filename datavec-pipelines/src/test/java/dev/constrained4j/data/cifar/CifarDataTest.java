package dev.constrained4j.data.cifar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.data.DataException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@link CifarData} on tiny files in the binary CIFAR formats, written here. */
class CifarDataTest {

    @TempDir
    Path dir;

    /**
     * A record: label byte(s), then channel {@code c}'s pixel {@code p} = {@code (seed + 3c + p) mod 256}, so every
     * plane and position is told apart.
     */
    static byte[] record(int seed, int... labels) {
        byte[] r = new byte[labels.length + CifarFormat.PIXELS];
        for (int i = 0; i < labels.length; i++) {
            r[i] = (byte) labels[i];
        }
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 1024; p++) {
                r[labels.length + c * 1024 + p] = (byte) ((seed + 3 * c + p) % 256);
            }
        }
        return r;
    }

    static Path write(Path file, byte[]... records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] r : records) {
            out.write(r);
        }
        Files.createDirectories(file.getParent());
        return Files.write(file, out.toByteArray());
    }

    /** Five training files of two records (labels 0..9) and a test file of three. */
    void cifar10(Path folder) throws IOException {
        for (int b = 1; b <= 5; b++) {
            write(folder.resolve("data_batch_" + b + ".bin"), record(10 * b, 2 * b - 2), record(10 * b + 1, 2 * b - 1));
        }
        write(folder.resolve("test_batch.bin"), record(7, 3), record(8, 9), record(9, 0));
    }

    static DataException fails(Runnable r) {
        DataException e = assertThrows(DataException.class, r::run);
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    @Test
    void cifar10RecordsBecomeNchwImagesInOrder() throws IOException {
        cifar10(dir);
        CifarData train = CifarData.load(dir, CifarFormat.CIFAR10, true);
        assertEquals(10, train.size());
        assertEquals(10, train.classes());
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, train.labels());
        assertArrayEquals(new long[]{10, 3, 32, 32}, train.features().shape());
        assertEquals(DataType.FLOAT, train.features().dataType());
        // image 3 is record(21) of data_batch_2: channel 1 (green), row 2, column 5 is pixel 69
        assertEquals(((21 + 3 + 69) % 256) / 255f, train.features().getFloat(3, 1, 2, 5), 1e-7);
        assertEquals(((21 + 6 + 1023) % 256) / 255f, train.features().getFloat(3, 2, 31, 31), 1e-7);
        CifarData test = CifarData.load(dir, CifarFormat.CIFAR10, false);
        assertArrayEquals(new int[]{3, 9, 0}, test.labels());
        INDArray oneHot = test.oneHot(DataType.FLOAT);
        assertEquals(1f, oneHot.getFloat(1, 9));
        assertEquals(3f, oneHot.sumNumber().floatValue());
    }

    @Test
    void channelStatsAreThePixelsMeanAndStd() throws IOException {
        cifar10(dir);
        CifarData train = CifarData.load(dir, CifarFormat.CIFAR10, true);
        for (int c = 0; c < 3; c++) {
            INDArray channel = train.features().get(NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all(),
                    NDArrayIndex.all()).castTo(DataType.DOUBLE);
            assertEquals(channel.meanNumber().doubleValue(), train.channelStats().mean()[c], 1e-6);
            assertEquals(channel.stdNumber().doubleValue(), train.channelStats().std()[c], 1e-4,
                    "population std (ND4J's is the sample one, n = 10240)");
        }
        ChannelStats stats = train.channelStats();
        train.normalise(stats);
        CifarData again = CifarData.load(dir, CifarFormat.CIFAR10, true);
        assertEquals(stats, again.channelStats());
        for (int c = 0; c < 3; c++) {
            INDArray channel = train.features().get(NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all(),
                    NDArrayIndex.all());
            assertEquals(0, channel.meanNumber().doubleValue(), 1e-5);
        }
        assertEquals(125.3 / 255, ChannelStats.SEED_REFERENCE.mean()[0], 1e-12);
    }

    @Test
    void extractedArchiveFolderIsFoundAndLimitTakesTheFirstImages() throws IOException {
        cifar10(dir.resolve("cifar-10-batches-bin"));
        CifarData train = CifarData.load(dir, CifarFormat.CIFAR10, true, CifarLabel.FINE, 3);
        assertArrayEquals(new int[]{0, 1, 2}, train.labels());
        assertThrows(IllegalArgumentException.class,
                () -> CifarData.load(dir, CifarFormat.CIFAR10, true, CifarLabel.FINE, -1));
    }

    @Test
    void cifar100UsesFineLabelsUnlessCoarseIsAsked() throws IOException {
        write(dir.resolve("train.bin"), record(1, 19, 99), record(2, 0, 5), record(3, 4, 42));
        CifarData fine = CifarData.load(dir, CifarFormat.CIFAR100, true);
        assertArrayEquals(new int[]{99, 5, 42}, fine.labels());
        assertEquals(100, fine.classes());
        CifarData coarse = CifarData.load(dir, CifarFormat.CIFAR100, true, CifarLabel.COARSE, 0);
        assertArrayEquals(new int[]{19, 0, 4}, coarse.labels());
        assertEquals(20, coarse.classes());
        assertEquals(((2 + 3 + 1) % 256) / 255f, fine.features().getFloat(1, 1, 0, 1), 1e-7);
    }

    // ------------------------------------------------------------------ hostile files

    @Test
    void missingFileIsNamedWithWhereToGetIt() throws IOException {
        cifar10(dir);
        Files.delete(dir.resolve("data_batch_3.bin"));
        DataException e = fails(() -> CifarData.load(dir, CifarFormat.CIFAR10, true));
        assertTrue(e.getMessage().contains("data_batch_3.bin") && e.getMessage().contains("cifar.html"),
                e.getMessage());
        DataException none = fails(() -> CifarData.load(dir.resolve("nowhere"), CifarFormat.CIFAR100, false));
        assertTrue(none.getMessage().contains("test.bin") && none.getMessage().contains("not found"),
                none.getMessage());
    }

    @Test
    void emptyFile() throws IOException {
        write(dir.resolve("test.bin"));
        DataException e = fails(() -> CifarData.load(dir, CifarFormat.CIFAR100, false));
        assertTrue(e.getMessage().contains("test.bin is empty"), e.getMessage());
    }

    @Test
    void truncatedLastRecord() throws IOException {
        byte[] cut = java.util.Arrays.copyOf(record(1, 4), 3000);
        write(dir.resolve("test_batch.bin"), record(0, 1), cut);
        DataException e = fails(() -> CifarData.load(dir, CifarFormat.CIFAR10, false));
        assertTrue(e.getMessage().contains("6073 bytes") && e.getMessage().contains("1 records and 3000 bytes left")
                && e.getMessage().contains("cifar-10-binary.tar.gz"), e.getMessage());
    }

    @Test
    void cifar100FileReadAsCifar10GetsAHint() throws IOException {
        write(dir.resolve("test_batch.bin"), record(0, 3, 30));
        DataException e = fails(() -> CifarData.load(dir, CifarFormat.CIFAR10, false));
        assertTrue(e.getMessage().contains("read it as CIFAR100"), e.getMessage());
    }

    @Test
    void cifar10LabelOutOfRange() throws IOException {
        write(dir.resolve("test_batch.bin"), record(0, 9), record(1, 10));
        DataException e = fails(() -> CifarData.load(dir, CifarFormat.CIFAR10, false));
        assertTrue(e.getMessage().contains("record 1 (byte 3073) has label 10, expected 0..9"), e.getMessage());
    }

    @Test
    void cifar100FineLabelOutOfRange() throws IOException {
        write(dir.resolve("test.bin"), record(0, 3, 100));
        DataException e = fails(() -> CifarData.load(dir, CifarFormat.CIFAR100, false));
        assertTrue(e.getMessage().contains("fine label 100"), e.getMessage());
    }

    @Test
    void cifar100CoarseLabelOutOfRangeEvenWhenFineIsUsed() throws IOException {
        write(dir.resolve("test.bin"), record(0, 1, 1), record(0, 20, 1));
        DataException e = fails(() -> CifarData.load(dir, CifarFormat.CIFAR100, false));
        assertTrue(e.getMessage().contains("record 1") && e.getMessage().contains("coarse label 20"), e.getMessage());
    }

    @Test
    void compressedArchiveInPlaceOfTheBinaryFile() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(record(0, 1));
        }
        Files.write(dir.resolve("test_batch.bin"), bytes.toByteArray());
        DataException e = fails(() -> CifarData.load(dir, CifarFormat.CIFAR10, false));
        assertTrue(e.getMessage().contains("gzip-compressed") && e.getMessage().contains("tar xzf"), e.getMessage());
    }

    @Test
    void folderInPlaceOfAFile() throws IOException {
        Files.createDirectories(dir.resolve("test.bin"));
        DataException e = fails(() -> CifarData.load(dir, CifarFormat.CIFAR100, false));
        assertTrue(e.getMessage().contains("is a folder"), e.getMessage());
    }

    @Test
    void cifar10HasNoCoarseLabels() throws IOException {
        cifar10(dir);
        var e = assertThrows(IllegalArgumentException.class,
                () -> CifarData.load(dir, CifarFormat.CIFAR10, false, CifarLabel.COARSE, 0));
        assertTrue(e.getMessage().contains("CIFAR-10 has no coarse labels"), e.getMessage());
    }

    @Test
    void channelStatsRefuseBadValues() {
        assertThrows(IllegalArgumentException.class, () -> new ChannelStats(new double[]{0.5}, new double[]{0}));
        assertThrows(IllegalArgumentException.class, () -> new ChannelStats(new double[]{0.5, 0.5},
                new double[]{1}));
    }
}
