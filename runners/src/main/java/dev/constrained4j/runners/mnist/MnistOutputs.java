package dev.constrained4j.runners.mnist;

import dev.constrained4j.data.mnist.MnistData;
import dev.constrained4j.models.mnist.MnistClassifierDecoder;
import dev.constrained4j.models.mnist.MnistModelConfig;
import dev.constrained4j.reports.run.AtomicFiles;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What an MNIST run writes besides metrics: portable weights (DL4J ComputationGraph zips), per-image
 * reconstruction errors ({@code samples/<mode>-<split>.csv}) and a picture of test digits next to their
 * reconstructions ({@code images/<mode>-reconstructions.png}). Every file is written atomically.
 */
public final class MnistOutputs {

    /** Digits shown in the reconstruction picture. */
    public static final int DIGITS = 12;
    private static final int SCALE = 3;

    private final Path dir;
    private final MnistModelConfig modelConfig;

    public MnistOutputs(Path dir, MnistModelConfig modelConfig) {
        this.dir = dir;
        this.modelConfig = modelConfig;
    }

    /** Saves parameters as a two-output ComputationGraph zip, loadable with {@code ModelSerializer}. */
    public Path saveWeights(String name, Map<String, INDArray> params) {
        return saveWeights(dir.resolve(name), modelConfig, params);
    }

    /** Saves parameters as a ComputationGraph zip at {@code file}, atomically. */
    public static Path saveWeights(Path file, MnistModelConfig modelConfig, Map<String, INDArray> params) {
        ComputationGraph graph = MnistClassifierDecoder.graph(modelConfig, DataType.FLOAT);
        MnistClassifierDecoder.copy(params, graph);
        return AtomicFiles.write(file, tmp -> ModelSerializer.writeModel(graph, tmp.toFile(), false));
    }

    /**
     * Writes one row per sample as {@code index,recon_mse}, or {@code index,recon_mse,multiplier} when the mode
     * has per-sample multipliers.
     *
     * @param multipliers λ_i of each sample, or null
     */
    public void saveSamples(String mode, String split, double[] values, double[] multipliers) {
        StringBuilder text = new StringBuilder(values.length * 36)
                .append(multipliers == null ? "index,recon_mse\n" : "index,recon_mse,multiplier\n");
        for (int i = 0; i < values.length; i++) {
            text.append(i).append(',').append(values[i]);
            if (multipliers != null) {
                text.append(',').append((float) multipliers[i]);
            }
            text.append('\n');
        }
        Path file = dir.resolve("samples").resolve(mode + "-" + split + ".csv");
        AtomicFiles.write(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    /**
     * Draws some digits (top row) above their reconstructions (bottom row), as
     * {@code images/<mode>-<name>.png}.
     *
     * @param rows the images of {@code data} to draw, in order
     */
    public void saveReconstructions(String mode, MnistData data, int[] rows, String name,
                                    UnaryOperator<INDArray> reconstruct) {
        int n = rows.length;
        INDArray x = data.features().getRows(rows);
        INDArray recon = reconstruct.apply(x);
        int h = data.rows();
        int w = data.cols();
        BufferedImage image = new BufferedImage(n * w * SCALE, 2 * h * SCALE, BufferedImage.TYPE_BYTE_GRAY);
        for (int row = 0; row < 2; row++) {
            INDArray source = row == 0 ? x : recon;
            for (int k = 0; k < n; k++) {
                for (int p = 0; p < h * w; p++) {
                    int value = (int) Math.round(Math.max(0, Math.min(1, source.getDouble(k, p))) * 255);
                    int rgb = (value << 16) | (value << 8) | value;
                    int px = k * w + p % w;
                    int py = row * h + p / w;
                    for (int dy = 0; dy < SCALE; dy++) {
                        for (int dx = 0; dx < SCALE; dx++) {
                            image.setRGB(px * SCALE + dx, py * SCALE + dy, rgb);
                        }
                    }
                }
            }
        }
        Path file = dir.resolve("images").resolve(mode + "-" + name + ".png");
        AtomicFiles.write(file, tmp -> ImageIO.write(image, "png", tmp.toFile()));
    }

    /** The file of a mode's best-epoch weights in the run folder. */
    public static String bestWeights(MnistMode mode) {
        return mode.key() + "-best.zip";
    }

    /** The file of a mode's last-epoch weights in the run folder (the warm model's, for the warm-up). */
    public static String lastWeights(MnistMode mode) {
        return mode == MnistMode.WARM ? MnistExperiment.WARM_MODEL : mode.key() + "-last.zip";
    }

    /**
     * All parameters of the two-headed model that a saved zip holds: the trained encoder-classifier, and the trained
     * decoder, or the untrained one where the mode trains none.
     *
     * @param parameters the trained parameters of the given layers
     */
    public static Map<String, INDArray> portableParameters(Function<List<String>, Map<String, INDArray>> parameters,
                                                           MnistMode mode, Map<String, INDArray> decoderInit) {
        Map<String, INDArray> params = new LinkedHashMap<>(parameters.apply(MnistClassifierDecoder.ENCODER_LAYERS));
        params.putAll(mode.hasDecoder() ? parameters.apply(MnistClassifierDecoder.DECODER_LAYERS) : decoderInit);
        return params;
    }
}
