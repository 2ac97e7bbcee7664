package dev.constrained4j.data.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Fashion-MNIST ({@code data/fashion-mnist}, written by {@code scripts/make-fashion-mnist-data.sh}) is in MNIST's IDX
 * format, and {@link MnistData} reads it unchanged. Skipped, with the command to run, when the folder is absent.
 * (It sits in this package only because the {@code data.mnist} test package had another owner when it was written;
 * it belongs beside {@code MnistDataTest}.)
 */
class FashionMnistFilesTest {

    /** sha256 of the uncompressed IDX bytes (the script checks the .gz files themselves). */
    static final Map<String, String> SHA256 = Map.of(
            "train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            "train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            "t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            "t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

    static Path folder() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("data").resolve("mnist"))) {
                return p.resolve("data").resolve("fashion-mnist");
            }
        }
        return null;
    }

    @Test
    void mnistReaderReadsFashionMnist() {
        Path dir = folder();
        Assumptions.assumeTrue(dir != null && Files.isDirectory(dir),
                "data/fashion-mnist is absent: run scripts/make-fashion-mnist-data.sh to check Fashion-MNIST");
        Map<String, String> sums = new LinkedHashMap<>();
        for (String name : SHA256.keySet()) {
            sums.put(name, MnistFiles.sha256(MnistData.locate(dir, name)));
        }
        assertEquals(SHA256, sums);

        MnistData train = MnistData.load(dir, true, 0, DataType.FLOAT);
        MnistData test = MnistData.load(dir, false, 0, DataType.FLOAT);
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        assertEquals(28, train.rows());
        assertEquals(28, train.cols());
        // upstream's first labels: ankle boot, T-shirt, T-shirt, dress, T-shirt, pullover, sneaker, pullover…
        assertArrayEquals(new int[]{9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, Arrays.copyOf(train.classes(), 10));
        assertArrayEquals(new int[]{9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, Arrays.copyOf(test.classes(), 10));
        int[] perClass = new int[10];
        for (int c : train.classes()) {
            perClass[c]++;
        }
        int[] sixThousand = new int[10];
        Arrays.fill(sixThousand, 6000);
        assertArrayEquals(sixThousand, perClass, "Fashion-MNIST's training set is balanced");
        float max = train.features().maxNumber().floatValue();
        assertEquals(1f, max, 1e-6);
    }
}
