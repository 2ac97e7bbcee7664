package dev.constrained4j.data.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The slices committed under data/mri-slices load as 390 three-channel images of three planes, each plane's 130 cut
 * into thirds by slice index (44, 43, 43: rank r of n goes to third ⌊3r/n⌋).
 */
class MriSlicesTest {

    private static final Path DIR = Path.of(System.getProperty("user.dir")).getParent().resolve(MriSlices.DEFAULT_DIR);

    @Test
    void shippedSlicesLoadWithPlaneAndPositionLabels() {
        ImageSplits splits = MriSlices.load(DIR, ImageConfig.of(32), SplitConfig.defaults());
        assertEquals(273, splits.train().size());
        assertEquals(58, splits.validation().size());
        assertEquals(59, splits.test().size());
        int[] perPlane = new int[3];
        int[] perClass = new int[9];
        for (ImageSet set : new ImageSet[]{splits.train(), splits.validation(), splits.test()}) {
            assertEquals(MriSlices.CLASSES, set.labelNames());
            assertArrayEquals(new long[]{set.size(), 3, 32, 32}, set.features().shape());
            for (int i = 0; i < set.size(); i++) {
                int plane = set.classOf(i) / 3;
                perPlane[plane]++;
                perClass[set.classOf(i)]++;
                assertTrue(set.files().get(i).toString().contains("/" + MriSlices.PLANES.get(plane) + "/"));
            }
        }
        assertArrayEquals(new int[]{130, 130, 130}, perPlane);
        assertArrayEquals(new int[]{44, 43, 43, 44, 43, 43, 44, 43, 43}, perClass);
        assertEquals(List.of("axial-low", "axial-mid", "axial-high"), MriSlices.CLASSES.subList(0, 3));
        INDArray x = splits.train().features();
        assertTrue(x.minNumber().doubleValue() >= 0 && x.maxNumber().doubleValue() <= 1);
        assertTrue(x.meanNumber().doubleValue() > 0.05, "real images, not blank: mean " + x.meanNumber());
        int[] trainPlanes = new int[3];
        for (int i = 0; i < splits.train().size(); i++) {
            trainPlanes[splits.train().classOf(i) / 3]++;
        }
        for (int count : trainPlanes) {
            assertTrue(count > 70, "every plane in the training split: " + java.util.Arrays.toString(trainPlanes));
        }
    }
}
