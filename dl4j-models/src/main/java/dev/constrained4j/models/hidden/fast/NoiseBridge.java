package dev.constrained4j.models.hidden.fast;

import dev.constrained4j.models.hidden.noise.NoiseLayer;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A noise layer between the fused encoder and decoder, run through its own small SameDiff graph (the layer's
 * {@link NoiseLayer#define definition}, so both engines distort identically). The backward pass is the gradient of
 * {@code sum(noised ⊙ upstream)} with respect to the encoded images, i.e. the layer's Jacobian transposed times the
 * decoder's input gradient. Images are {@code NCHW}, as the layers define them.
 */
public final class NoiseBridge {

    private static final String ENCODED = "encoded";
    private static final String COVER = "cover";
    private static final String NOISED = "noised";
    private static final String UPSTREAM = "upstream";

    private final SameDiff sd;
    private Map<String, INDArray> feed;

    public NoiseBridge(NoiseLayer layer, int imageSize) {
        sd = SameDiff.create();
        SDVariable encoded = sd.var(ENCODED, Nd4j.zeros(DataType.FLOAT, 2, 3, imageSize, imageSize));
        SDVariable cover = sd.placeHolder(COVER, DataType.FLOAT, -1, 3, imageSize, imageSize);
        SDVariable noised = layer.define(sd, encoded, cover, imageSize).rename(NOISED);
        SDVariable upstream = sd.placeHolder(UPSTREAM, DataType.FLOAT, -1, 3, -1, -1);
        sd.setLossVariables(noised.mul(upstream).sum());
    }

    /** The noised images {@code [n, 3, h', w']}; {@code placeholders} are the layer's values for this batch. */
    INDArray forward(INDArray encoded, INDArray cover, Map<String, INDArray> placeholders) {
        sd.getVariable(ENCODED).setArray(encoded);
        feed = new HashMap<>(placeholders);
        feed.put(COVER, cover);
        return sd.output(feed, NOISED).get(NOISED);
    }

    /** The gradient with respect to the encoded images of the last {@link #forward}, given the noised images'. */
    INDArray backward(INDArray upstream) {
        Map<String, INDArray> withUpstream = new HashMap<>(feed);
        withUpstream.put(UPSTREAM, upstream);
        return sd.calculateGradients(withUpstream, ENCODED).get(ENCODED);
    }
}
