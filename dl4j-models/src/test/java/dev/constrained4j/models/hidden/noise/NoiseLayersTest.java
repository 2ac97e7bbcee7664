package dev.constrained4j.models.hidden.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class NoiseLayersTest {

    private static final int SIZE = 16;

    private static INDArray run(NoiseLayer layer, INDArray encoded, INDArray cover, long seed) {
        SameDiff sd = SameDiff.create();
        SDVariable e = sd.placeHolder("enc", DataType.FLOAT, -1, 3, SIZE, SIZE);
        SDVariable c = sd.placeHolder("cover", DataType.FLOAT, -1, 3, SIZE, SIZE);
        layer.define(sd, e, c, SIZE).rename("out");
        Map<String, INDArray> feed = new HashMap<>(layer.placeholders(encoded.shape(), new SplittableRandom(seed),
                DataType.FLOAT));
        feed.put("enc", encoded);
        feed.put("cover", cover);
        return sd.output(feed, "out").get("out");
    }

    private static INDArray[] images() {
        Nd4j.getRandom().setSeed(1);
        return new INDArray[]{Nd4j.rand(DataType.FLOAT, 2, 3, SIZE, SIZE), Nd4j.rand(DataType.FLOAT, 2, 3, SIZE, SIZE)};
    }

    @Test
    void identityReturnsTheEncodedImage() {
        INDArray[] im = images();
        assertEquals(im[0], run(new Identity(), im[0], im[1], 1));
    }

    @Test
    void cropKeepsARectangleOfTheEncodedImage() {
        INDArray[] im = images();
        Crop crop = new Crop(new double[]{0.5, 0.5}, new double[]{0.25, 0.25});
        INDArray out = run(crop, im[0], im[1], 3);
        assertArrayEquals(new long[]{2, 3, 8, 4}, out.shape());
        Map<String, INDArray> ph = crop.placeholders(im[0].shape(), new SplittableRandom(3), DataType.FLOAT);
        int top = ph.get(Rectangles.ROWS).getRow(0).argMax().getInt(0);
        int left = ph.get(Rectangles.COLUMNS).getRow(0).argMax().getInt(0);
        INDArray expected = im[0].get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(top, top + 8),
                NDArrayIndex.interval(left, left + 4));
        assertEquals(expected, out);
    }

    @Test
    void cropoutAndDropoutMixEncodedAndCoverPixels() {
        INDArray[] im = images();
        for (NoiseLayer layer : List.of(new Cropout(new double[]{0.3, 0.6}, new double[]{0.3, 0.6}),
                new Dropout(0.3, 0.5))) {
            INDArray out = run(layer, im[0], im[1], 4);
            assertArrayEquals(im[0].shape(), out.shape());
            long fromEncoded = 0;
            long fromCover = 0;
            for (int i = 0; i < SIZE; i++) {
                for (int j = 0; j < SIZE; j++) {
                    double v = out.getDouble(1, 2, i, j);
                    if (v == im[0].getDouble(1, 2, i, j)) {
                        fromEncoded++;
                    } else {
                        assertEquals(im[1].getDouble(1, 2, i, j), v, 1e-6, layer.name());
                        fromCover++;
                    }
                }
            }
            assertTrue(fromEncoded > 0 && fromCover > 0, layer.name());
        }
    }

    @Test
    void resizeIsNearestNeighbour() {
        INDArray[] im = images();
        INDArray out = run(new Resize(0.5, 0.5), im[0], im[1], 5);
        assertArrayEquals(new long[]{2, 3, 8, 8}, out.shape());
        assertEquals(im[0].getDouble(1, 1, 6, 14), out.getDouble(1, 1, 3, 7), 0.0);
        assertArrayEquals(new int[]{0, 1, 2, 4, 5, 7, 8}, Resize.sources(10, 0.7));
    }

    @Test
    void jpegKeepingEveryCoefficientIsAlmostTheIdentity() {
        INDArray[] im = images();
        // YUV→RGB is the reference's rounded inverse of RGB→YUV, so agreement is to ~1e-4
        INDArray out = run(new JpegMask(64, 64, 64), im[0], im[1], 6);
        assertArrayEquals(im[0].shape(), out.shape());
        assertTrue(out.sub(im[0]).amaxNumber().doubleValue() < 2e-3);
    }

    @Test
    void jpegMaskRemovesHighFrequenciesAndKeepsTheRange() {
        INDArray[] im = images();
        INDArray out = run(new JpegMask(), im[0], im[1], 6);
        assertArrayEquals(im[0].shape(), out.shape());
        double err = out.sub(im[0]).amaxNumber().doubleValue();
        assertTrue(err > 1e-2, "high frequencies must be removed, max change " + err);
        assertTrue(out.minNumber().doubleValue() > -1 && out.maxNumber().doubleValue() < 2);
        // a constant image has only the DC coefficient: unchanged
        INDArray flat = Nd4j.valueArrayOf(new long[]{2, 3, SIZE, SIZE}, 0.4f);
        assertTrue(run(new JpegMask(), flat, flat, 1).sub(flat).amaxNumber().doubleValue() < 1e-3);
        // sizes that are not multiples of 8 are padded and un-padded
        SameDiff sd = SameDiff.create();
        SDVariable e = sd.placeHolder("enc", DataType.FLOAT, -1, 3, 12, 12);
        new JpegMask().define(sd, e, e, 12).rename("out");
        INDArray small = Nd4j.rand(DataType.FLOAT, 2, 3, 12, 12);
        assertArrayEquals(new long[]{2, 3, 12, 12}, sd.output(Map.of("enc", small), "out").get("out").shape());
    }

    @Test
    void quantizationRoundsToAbout256LevelsWithinTheRange() {
        INDArray[] im = images();
        INDArray out = run(new Quantization(), im[0], im[1], 7);
        assertArrayEquals(im[0].shape(), out.shape());
        assertEquals(im[0].minNumber().doubleValue(), out.minNumber().doubleValue(), 1e-5);
        assertEquals(im[0].maxNumber().doubleValue(), out.maxNumber().doubleValue(), 1e-5);
        double err = out.sub(im[0]).amaxNumber().doubleValue();
        assertTrue(err > 1e-4 && err < 2.0 / 255, "quantisation error " + err);
    }

    @Test
    void badRangesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Crop(new double[]{0.5, 0.4}, new double[]{0.1, 0.2}));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(0.0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new JpegMask(65, 9, 9));
    }
}
