package dev.constrained4j.models.hidden;

import dev.constrained4j.models.hidden.HiddenNetworks.Block;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;

/**
 * Defines the SameDiff twins of the HiDDeN networks (docs/experiments.md, "The HiDDeN experiment") in one
 * {@link SameDiff} graph, with the canonical parameters of {@link HiddenNetworks} as variables (created once per graph,
 * shared by every use).
 *
 * <p>Batch norm is written from basic ops, because SameDiff's own batch-norm op fails in gradient creation in
 * M2.1 ("Invalid axis argument"). In {@link Mode#TRAIN} it normalises with the batch mean and <em>biased</em> variance over
 * {@code (N, H, W)}, ε = 1e-5, and exposes, per call, the batch mean and the <em>unbiased</em> variance that
 * PyTorch feeds into its running statistics ({@link #statistics()}); the caller updates the running statistics.
 * In {@link Mode#EVAL} it uses the running statistics, fed as placeholders {@code <block>_mean},
 * {@code <block>_var}. Weights are stored {@code [out, in, k, k]} (canonical) and permuted to {@code YXIO} in the graph,
 * because {@code conv2d_bp} fails with {@code OIYX} weights in M2.1.
 */
public final class HiddenSameDiff {

    /** Batch-norm behaviour. */
    public enum Mode { TRAIN, EVAL }

    /** The batch statistics of one batch-norm call in training mode: variable names in the graph. */
    public record BatchStatistics(String block, String mean, String unbiasedVariance) {
    }

    private final SameDiff sd;
    private final HiddenConfig config;
    private final Map<String, INDArray> params;
    private final DataType type;
    private final Mode mode;
    private final List<BatchStatistics> statistics = new ArrayList<>();
    private final Set<String> usedParameters = new LinkedHashSet<>();

    /**
     * @param params canonical parameters; the graph's variables are created from these arrays
     */
    public HiddenSameDiff(SameDiff sd, HiddenConfig config, Map<String, INDArray> params, DataType type, Mode mode) {
        this.sd = sd;
        this.config = config;
        this.params = params;
        this.type = type;
        this.mode = mode;
    }

    /** Batch statistics of every training-mode batch-norm call, in call order. */
    public List<BatchStatistics> statistics() {
        return List.copyOf(statistics);
    }

    /** Names of the parameters this graph uses. */
    public Set<String> usedParameters() {
        return Set.copyOf(usedParameters);
    }

    /** Names of the parameters this graph uses that belong to {@code network}, in definition order. */
    public List<String> usedParameters(HiddenNetworks.Network network) {
        return usedParameters.stream().filter(network::owns).toList();
    }

    /** The encoder: {@code image [mb,3,H,W]}, {@code message [mb,L]} → watermarked image {@code [mb,3,H,W]}. */
    public SDVariable encode(SDVariable image, SDVariable message, String tag) {
        List<Block> blocks = HiddenNetworks.encoderBlocks(config);
        SDVariable x = image;
        for (Block b : blocks.subList(0, blocks.size() - 1)) {
            x = convBnRelu(b, x, tag);
        }
        SDVariable concat = sd.concat(1, MessageConcatVertex.expand(sd, message, image), x, image);
        x = convBnRelu(blocks.get(blocks.size() - 1), concat, tag);
        return conv(HiddenNetworks.ENCODER_FINAL, x, 1, 0);
    }

    /** The decoder: image of any height and width → decoded message {@code [mb, L]}. */
    public SDVariable decode(SDVariable image, String tag) {
        SDVariable x = image;
        for (Block b : HiddenNetworks.decoderBlocks(config)) {
            x = convBnRelu(b, x, tag);
        }
        return linear(HiddenNetworks.DECODER_OUT, x.mean(false, 2, 3));
    }

    /** The discriminator: image → one logit per image, {@code [mb, 1]}. */
    public SDVariable discriminate(SDVariable image, String tag) {
        SDVariable x = image;
        for (Block b : HiddenNetworks.discriminatorBlocks(config)) {
            x = convBnRelu(b, x, tag);
        }
        return linear(HiddenNetworks.DISCRIMINATOR_OUT, x.mean(false, 2, 3));
    }

    private SDVariable param(String name) {
        usedParameters.add(name);
        if (sd.hasVariable(name)) {
            return sd.getVariable(name);
        }
        INDArray value = params.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing parameter '" + name + "'");
        }
        return sd.var(name, value);
    }

    private SDVariable conv(String name, SDVariable x, int k, int pad) {
        Conv2DConfig conf = Conv2DConfig.builder().kH(k).kW(k).sH(1).sW(1).pH(pad).pW(pad).dH(1).dW(1)
                .dataFormat("NCHW").weightsFormat(WeightsFormat.YXIO).build();
        // conv2d_bp fails shape validation with OIYX weights in M2.1: permute [out,in,k,k] → [k,k,in,out]
        return sd.cnn.conv2d(x, param(name + "_W").permute(2, 3, 1, 0), param(name + "_b"), conf);
    }

    private SDVariable linear(String name, SDVariable x) {
        return x.mmul(param(name + "_W")).add(param(name + "_b"));
    }

    private SDVariable convBnRelu(Block b, SDVariable input, String tag) {
        SDVariable x = conv(b.name(), input, 3, 1);
        long c = b.out();
        SDVariable gamma = param(b.name() + "_gamma");
        SDVariable beta = param(b.name() + "_beta");
        SDVariable centred;
        SDVariable variance;
        if (mode == Mode.TRAIN) {
            SDVariable mean = x.mean(true, 0, 2, 3);
            centred = x.sub(mean);
            variance = centred.mul(centred).mean(false, 0, 2, 3);
            // n = N·H·W elements per channel; PyTorch's running variance uses var·n/(n−1)
            SDVariable n = sd.prod(sd.gather(sd.shape(x), new int[]{0, 2, 3}, 0)).castTo(type);
            SDVariable unbiased = variance.mul(n.div(n.sub(1.0)));
            String prefix = tag + "__" + b.name();
            statistics.add(new BatchStatistics(b.name(), mean.reshape(c).rename(prefix + "__bmean").name(),
                    unbiased.rename(prefix + "__bvar").name()));
        } else {
            centred = x.sub(runningPlaceholder(b.name() + "_mean", c).reshape(1, c, 1, 1));
            variance = runningPlaceholder(b.name() + "_var", c);
        }
        // γ·(x−μ)/√(σ²+ε) + β with the per-channel factor γ/√(σ²+ε) broadcast by an addition to a full-size
        // array first: the gradient of a broadcast multiply (multiply_bp) took most of a training step, the
        // gradients of a broadcast add and of a same-shape multiply are cheap
        SDVariable scale = gamma.mul(sd.math.rsqrt(variance.add(HiddenNetworks.BN_EPS))).reshape(1, c, 1, 1);
        SDVariable normalised = centred.mul(sd.zerosLike(centred).add(scale)).add(beta.reshape(1, c, 1, 1));
        // ReLU as a product with the mask of positive entries (no gradient flows into the mask): same values and
        // gradients (0 at 0) as relu, and a same-shape multiply_bp is several times faster than relu's gradient op
        return normalised.mul(normalised.gt(0.0).castTo(type));
    }

    private SDVariable runningPlaceholder(String name, long c) {
        return sd.hasVariable(name) ? sd.getVariable(name) : sd.placeHolder(name, type, c);
    }
}
