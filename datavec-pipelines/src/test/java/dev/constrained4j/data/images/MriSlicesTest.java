package dev.constrained4j.data.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The slices committed under data/mri-slices load as 390 three-channel images of three planes. */
class MriSlicesTest {

    private static final Path DIR = Path.of(System.getProperty("user.dir")).getParent().resolve(MriSlices.DEFAULT_DIR);

    @Test
    void shippedSlicesLoadWithPlaneLabels() {
        ImageSplits splits = MriSlices.load(DIR, ImageConfig.of(32), SplitConfig.defaults());
        assertEquals(273, splits.train().size());
        assertEquals(58, splits.validation().size());
        assertEquals(59, splits.test().size());
        int[] perPlane = new int[3];
        for (ImageSet set : new ImageSet[]{splits.train(), splits.validation(), splits.test()}) {
            assertEquals(MriSlices.PLANES, set.labelNames());
            assertArrayEquals(new long[]{set.size(), 3, 32, 32}, set.features().shape());
            for (int i = 0; i < set.size(); i++) {
                int plane = set.classOf(i);
                perPlane[plane]++;
                assertTrue(set.files().get(i).toString().contains("/" + MriSlices.PLANES.get(plane) + "/"));
            }
        }
        assertArrayEquals(new int[]{130, 130, 130}, perPlane);
        INDArray x = splits.train().features();
        assertTrue(x.minNumber().doubleValue() >= 0 && x.maxNumber().doubleValue() <= 1);
        assertTrue(x.meanNumber().doubleValue() > 0.05, "real images, not blank: mean " + x.meanNumber());
        int[] trainPlanes = new int[3];
        for (int i = 0; i < splits.train().size(); i++) {
            trainPlanes[splits.train().classOf(i)]++;
        }
        for (int count : trainPlanes) {
            assertTrue(count > 70, "every plane in the training split: " + java.util.Arrays.toString(trainPlanes));
        }
    }
}
