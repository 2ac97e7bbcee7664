package dev.constrained4j.models.hidden;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLambdaVertex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The HiDDeN encoder's message expansion inside a ComputationGraph (docs/experiments.md, "The HiDDeN experiment"):
 * inputs {@code (message [mb, L], features [mb, C, H, W], image [mb, 3, H, W])}, output the concatenation along the
 * channels of {@code [message broadcast to L×H×W, features, image]}, {@code [mb, L + C + 3, H, W]}.
 *
 * <p>The broadcast is {@code message[:, :, None, None] + 0·image[:, :1]}: an addition that broadcasts
 * {@code [mb, L, 1, 1]} against {@code [mb, 1, H, W]}, so any height and width work. {@link HiddenSameDiff}
 * defines the same expression with {@link #expand}. No parameters and no fields, so the vertex serialises with
 * the graph's JSON.
 */
public class MessageConcatVertex extends SameDiffLambdaVertex {

    @Override
    public SDVariable defineVertex(SameDiff sd, VertexInputs inputs) {
        SDVariable message = inputs.getInput(0);
        SDVariable features = inputs.getInput(1);
        SDVariable image = inputs.getInput(2);
        return sd.concat(1, expand(sd, message, image), features, image);
    }

    /** The message {@code [mb, L]} broadcast to {@code [mb, L, H, W]}, with H and W taken from {@code image}. */
    public static SDVariable expand(SameDiff sd, SDVariable message, SDVariable image) {
        SDVariable column = sd.expandDims(sd.expandDims(message, 2), 3);
        SDVariable zeros = image.mean(true, 1).mul(0.0);
        return column.add(zeros);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        long bits = vertexInputs[0].arrayElementsPerExample();
        InputType.InputTypeConvolutional features = (InputType.InputTypeConvolutional) vertexInputs[1];
        InputType.InputTypeConvolutional image = (InputType.InputTypeConvolutional) vertexInputs[2];
        return InputType.convolutional(features.getHeight(), features.getWidth(),
                bits + features.getChannels() + image.getChannels());
    }
}
