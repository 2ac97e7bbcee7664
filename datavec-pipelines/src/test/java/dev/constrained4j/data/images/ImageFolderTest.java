package dev.constrained4j.data.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.data.DataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ImageFolderTest {

    @TempDir
    Path dir;

    @Test
    void decodesGreyAndRgbOfOddSizesTo3ChannelsInUnitRange() {
        Path grey = TestImages.grey(dir.resolve("grey.png"), 37, 23, 200);
        Path ramp = TestImages.grey(dir.resolve("ramp.png"), 50, 9, -1);
        Path red = TestImages.rgb(dir.resolve("red.png"), 13, 29, 255, 0, 0, "png");
        Path blue = TestImages.rgb(dir.resolve("blue.bmp"), 16, 16, 0, 0, 255, "bmp");

        INDArray x = ImageDecoder.decode(List.of(grey, ramp, red, blue), ImageConfig.of(16));

        assertArrayEquals(new long[]{4, 3, 16, 16}, x.shape());
        assertTrue(x.minNumber().doubleValue() >= 0 && x.maxNumber().doubleValue() <= 1, "values in [0, 1]");
        for (int c = 0; c < 3; c++) {
            assertEquals(200 / 255.0, x.get(NDArrayIndex.point(0), NDArrayIndex.point(c)).meanNumber().doubleValue(), 1e-5,
                    "grey copied to channel " + c);
        }
        INDArray ramp0 = x.get(NDArrayIndex.point(1), NDArrayIndex.point(0));
        assertTrue(ramp0.getDouble(0, 0) < 0.1 && ramp0.getDouble(0, 15) > 0.9, "ramp kept left to right: " + ramp0.getRow(0));
        assertEquals(ramp0, x.get(NDArrayIndex.point(1), NDArrayIndex.point(2)), "grey channels equal");
        // RGB order (OpenCV's BGR is turned around)
        assertEquals(1.0, x.get(NDArrayIndex.point(2), NDArrayIndex.point(0)).meanNumber().doubleValue(), 1e-5);
        assertEquals(0.0, x.get(NDArrayIndex.point(2), NDArrayIndex.point(2)).meanNumber().doubleValue(), 1e-5);
        assertEquals(1.0, x.get(NDArrayIndex.point(3), NDArrayIndex.point(2)).meanNumber().doubleValue(), 1e-5);
        assertEquals(0.0, x.get(NDArrayIndex.point(3), NDArrayIndex.point(0)).meanNumber().doubleValue(), 1e-5);
    }

    @Test
    void corruptImageIsAnErrorNamingTheFile() throws IOException {
        TestImages.grey(dir.resolve("a/good.png"), 20, 20, 10);
        Path bad = Files.writeString(dir.resolve("a/broken.png"), "this is not a PNG");
        DataException e = assertThrows(DataException.class,
                () -> ImageFolder.load(dir, ImageConfig.of(8), SplitConfig.defaults()));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void truncatedPngIsAnErrorNamingTheFile() throws IOException {
        Path good = TestImages.rgb(dir.resolve("t.png"), 40, 40, 1, 2, 3, "png");
        byte[] bytes = Files.readAllBytes(good);
        Path cut = Files.write(dir.resolve("cut.png"), java.util.Arrays.copyOf(bytes, 40));
        DataException e = assertThrows(DataException.class, () -> ImageDecoder.decode(List.of(cut), ImageConfig.of(8)));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
    }

    @Test
    void tooSmallImageIsAnErrorNamingTheFile() {
        Path small = TestImages.grey(dir.resolve("tiny.png"), 5, 30, 1);
        DataException e = assertThrows(DataException.class,
                () -> ImageDecoder.decode(List.of(small), new ImageConfig(16, 8, true)));
        assertTrue(e.getMessage().contains(small.toString()) && e.getMessage().contains("5x30"), e.getMessage());
    }

    @Test
    void nonImageFilesAreSkippedAndMissingFolderIsAnError() throws IOException {
        TestImages.grey(dir.resolve("x.png"), 10, 10, 1);
        Files.writeString(dir.resolve("README.md"), "notes");
        assertEquals(List.of(dir.resolve("x.png")), ImageFolder.list(dir, true));
        DataException e = assertThrows(DataException.class, () -> ImageFolder.list(dir.resolve("nope"), true));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void classSubfoldersGiveOneHotLabelsAndSeededSplits() {
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            written.add(TestImages.grey(dir.resolve("dark/d" + i + ".png"), 12 + i, 10, 20));
            written.add(TestImages.grey(dir.resolve("light/l" + i + ".png"), 10, 12 + i, 230));
        }
        ImageSplits a = ImageFolder.load(dir, ImageConfig.of(8), SplitConfig.defaults());
        ImageSplits b = ImageFolder.load(dir, ImageConfig.of(8), SplitConfig.defaults());

        assertEquals(28, a.train().size());
        assertEquals(6, a.validation().size());
        assertEquals(6, a.test().size());
        assertEquals(List.of("dark", "light"), a.train().labelNames());
        assertEquals(a.train().files(), b.train().files(), "same seed, same split");
        assertEquals(a.test().features(), b.test().features());
        List<Path> all = new ArrayList<>(a.train().files());
        all.addAll(a.validation().files());
        all.addAll(a.test().files());
        assertEquals(written.size(), all.stream().distinct().count(), "splits are disjoint and cover every file");
        for (ImageSet set : List.of(a.train(), a.validation(), a.test())) {
            for (int i = 0; i < set.size(); i++) {
                boolean light = set.files().get(i).getParent().getFileName().toString().equals("light");
                assertEquals(light ? 1 : 0, set.classOf(i));
                assertEquals(light ? 230 / 255.0 : 20 / 255.0,
                        set.features().get(NDArrayIndex.point(i)).meanNumber().doubleValue(), 1e-5);
            }
        }
        ImageSplits other = ImageFolder.load(dir, ImageConfig.of(8),
                new SplitConfig(7, 0.7, 0.15, 0, 0, 0));
        assertTrue(!other.train().files().equals(a.train().files()), "another seed, another split");
    }

    @Test
    void limitsKeepASubsetOfEachSplitAndNoSubfoldersMeansNoLabels() {
        for (int i = 0; i < 20; i++) {
            TestImages.grey(dir.resolve("img" + i + ".png"), 9, 9, i);
        }
        ImageSplits full = ImageFolder.load(dir, ImageConfig.of(4), SplitConfig.defaults());
        ImageSplits small = ImageFolder.load(dir, ImageConfig.of(4), SplitConfig.defaults().withLimits(5, 1, 2));
        assertEquals(5, small.train().size());
        assertEquals(1, small.validation().size());
        assertEquals(2, small.test().size());
        assertEquals(full.train().files().subList(0, 5), small.train().files());
        assertNull(full.train().labels());
    }
}
