package dev.constrained4j.losses.hidden;

import dev.constrained4j.losses.constraint.PsnrConstraint;
import java.util.Objects;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The loss terms of HiDDeN (docs/experiments.md, "The HiDDeN experiment"; reference {@code HiDDeN/model/hidden.py}),
 * defined in SameDiff from basic ops (DL4J M2.1's {@code sd.loss.*} ops with {@code LossReduce.NONE} ignore the
 * gradient flowing into them, DL4J issue #9026). Every term is a scalar <em>mean</em> (PyTorch's {@code MSELoss}/{@code BCEWithLogitsLoss} default
 * reduction).
 *
 * <ul>
 *   <li>generator: {@code adversarialWeight·BCE(D(enc), 1) + g_enc + decoderWeight·MSE(decoded, message)},
 *       with {@code g_enc = encoderWeight·MSE(enc, cover)} (baseline) or
 *       {@code g_enc = τ·mean_i max(0, T − PSNR_i)} (constrained);</li>
 *   <li>discriminator: {@code BCE(D(cover), 1) + BCE(D(enc.detach()), 0)}: the reference calls
 *       {@code backward()} on each term before one optimiser step, so the gradients are <em>summed</em>,
 *       each term weighted 1.</li>
 * </ul>
 */
public final class HiddenLosses {

    /** The reference's weights: adversarial 1e-3, encoder (image MSE) 0.7, decoder (message MSE) 1. */
    public static final double ADVERSARIAL_WEIGHT = 1e-3;
    public static final double ENCODER_WEIGHT = 0.7;
    public static final double DECODER_WEIGHT = 1.0;

    private HiddenLosses() {
    }

    /** {@code mean((a − b)²)} over every element: PyTorch's {@code MSELoss()}. */
    public static SDVariable mse(SameDiff sd, SDVariable a, SDVariable b) {
        SDVariable diff = a.sub(b);
        return diff.mul(diff).mean();
    }

    /**
     * Mean binary cross-entropy with logits against a constant target {@code y} (0 or 1 for HiDDeN), in the
     * numerically stable form {@code max(x,0) − x·y + log(1 + exp(−|x|))}.
     */
    public static SDVariable bceWithLogits(SameDiff sd, SDVariable logits, double target) {
        return bceWithLogitsPerSample(sd, logits, target).mean();
    }

    /** {@link #bceWithLogits} before the mean: one value per logit (per image for a {@code [mb, 1]} logit). */
    public static SDVariable bceWithLogitsPerSample(SameDiff sd, SDVariable logits, double target) {
        SDVariable softplusNegAbs = sd.math.log(sd.math.exp(sd.math.abs(logits).neg()).add(1.0));
        SDVariable perElement = sd.nn.relu(logits, 0.0).add(softplusNegAbs);
        if (target != 0.0) {
            perElement = perElement.sub(logits.mul(target));
        }
        return perElement;
    }

    /** {@code mean_j (a_ij − b_ij)²} per row of {@code [mb, n]} arrays, shape {@code [mb, 1]}. */
    public static SDVariable perSampleMse(SameDiff sd, SDVariable a, SDVariable b) {
        SDVariable diff = a.sub(b);
        return diff.mul(diff).mean(true, 1);
    }

    /** The value of {@link #bceWithLogits} for one logit, for tests and evaluation. */
    public static double bceWithLogits(double logit, double target) {
        return Math.max(logit, 0) - logit * target + Math.log1p(Math.exp(-Math.abs(logit)));
    }

    /**
     * The batch-mean PSNR violation {@code mean_i max(0, T − PSNR_i)} (scalar), not yet multiplied by τ.
     * Taking the mean before the product with τ avoids a DL4J M2.1 trap: a per-sample term whose last op is a
     * broadcast multiply by a scalar passes its gradient to row 0 only.
     */
    public static SDVariable meanPsnrViolation(SameDiff sd, PsnrConstraint constraint, SDVariable encoded,
                                               SDVariable cover) {
        Objects.requireNonNull(constraint, "constraint");
        return sd.nn.relu(constraint.define(sd, encoded, cover), 0.0).mean();
    }

    /** The constrained image term {@code τ·mean_i max(0, T − PSNR_i)}; {@code tau} is a scalar placeholder. */
    public static SDVariable psnrPenalty(SameDiff sd, PsnrConstraint constraint, SDVariable encoded,
                                         SDVariable cover, SDVariable tau) {
        return tau.mul(meanPsnrViolation(sd, constraint, encoded, cover));
    }

    /** The baseline image term {@code encoderWeight·MSE(enc, cover)}. */
    public static SDVariable imageMseTerm(SameDiff sd, SDVariable encoded, SDVariable cover, double encoderWeight) {
        return mse(sd, encoded, cover).mul(encoderWeight);
    }

    /**
     * The generator loss {@code adversarialWeight·BCE(D(enc), 1) + imageTerm + decoderWeight·MSE(decoded, message)}.
     *
     * @param discriminatorOnEncoded logits of the discriminator on the (not detached) encoded images
     * @param imageTerm              {@link #imageMseTerm} or {@link #psnrPenalty}
     */
    public static SDVariable generatorLoss(SameDiff sd, SDVariable discriminatorOnEncoded, SDVariable imageTerm,
                                           SDVariable decoded, SDVariable message, double adversarialWeight,
                                           double decoderWeight) {
        SDVariable adversarial = bceWithLogits(sd, discriminatorOnEncoded, 1.0).mul(adversarialWeight);
        return adversarial.add(imageTerm).add(mse(sd, decoded, message).mul(decoderWeight));
    }

    /** The discriminator loss {@code BCE(D(cover), 1) + BCE(D(enc.detach()), 0)} (summed, as the reference). */
    public static SDVariable discriminatorLoss(SameDiff sd, SDVariable discriminatorOnCover,
                                               SDVariable discriminatorOnEncoded) {
        return bceWithLogits(sd, discriminatorOnCover, 1.0).add(bceWithLogits(sd, discriminatorOnEncoded, 0.0));
    }
}
