package dev.constrained4j.runners.hidden;

import dev.constrained4j.reports.run.AtomicFiles;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What a HiDDeN run writes besides metrics and checkpoints, every file atomically: image grids (cover,
 * watermarked, 10× amplified |difference|) per epoch ({@code images/<mode>/epoch-<e>.png}) and per model
 * ({@code images/<mode>-example.png}), per-image test results ({@code samples/<mode>-test[-best].csv}:
 * {@code index,psnr,ber}) and tables ({@code tables/*.csv}).
 */
public final class HiddenOutputs {

    /** Images per grid. */
    static final int GRID_IMAGES = 4;
    /** How much the difference map is amplified. */
    static final double AMPLIFY = 10;

    private final Path dir;

    public HiddenOutputs(Path dir) {
        this.dir = dir;
    }

    /** The per-epoch grid of a mode's first validation images. */
    public Path epochGrid(String mode, int epoch, INDArray cover, INDArray encoded) {
        return grid(String.format(Locale.ROOT, "images/%s/epoch-%03d.png", mode, epoch), cover, encoded);
    }

    /**
     * Draws up to {@value #GRID_IMAGES} images in three rows: cover, watermarked (clipped to [0, 1]) and
     * {@code min(1, 10·|watermarked − cover|)}, small images enlarged to about 96 px.
     *
     * @param relative the file, relative to the run folder
     * @param cover    {@code [n, 3, H, W]} in [0, 1]
     * @param encoded  the encoder's output for the same images
     */
    public Path grid(String relative, INDArray cover, INDArray encoded) {
        int n = (int) Math.min(GRID_IMAGES, Math.min(cover.size(0), encoded.size(0)));
        int h = (int) cover.size(2);
        int w = (int) cover.size(3);
        int scale = Math.max(1, 96 / Math.max(h, w));
        float[] c = first(cover, n);
        float[] e = first(encoded, n);
        BufferedImage image = new BufferedImage(n * w * scale, 3 * h * scale, BufferedImage.TYPE_INT_RGB);
        int plane = h * w;
        for (int k = 0; k < n; k++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int[][] rgb = new int[3][3];
                    for (int ch = 0; ch < 3; ch++) {
                        int at = (k * 3 + ch) * plane + y * w + x;
                        rgb[0][ch] = level(c[at]);
                        rgb[1][ch] = level(e[at]);
                        rgb[2][ch] = level(AMPLIFY * Math.abs(e[at] - c[at]));
                    }
                    for (int row = 0; row < 3; row++) {
                        int value = (rgb[row][0] << 16) | (rgb[row][1] << 8) | rgb[row][2];
                        for (int dy = 0; dy < scale; dy++) {
                            for (int dx = 0; dx < scale; dx++) {
                                image.setRGB((k * w + x) * scale + dx, (row * h + y) * scale + dy, value);
                            }
                        }
                    }
                }
            }
        }
        return AtomicFiles.write(dir.resolve(relative), tmp -> ImageIO.write(image, "png", tmp.toFile()));
    }

    private static float[] first(INDArray images, int n) {
        return images.get(NDArrayIndex.interval(0, n), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                .castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    private static int level(double value) {
        return (int) Math.round(Math.max(0, Math.min(1, value)) * 255);
    }

    /** Writes per-image PSNR and bit error rate as {@code index,psnr,ber}. */
    public Path samples(String relative, double[] psnr, double[] ber) {
        StringBuilder text = new StringBuilder(psnr.length * 32).append("index,psnr,ber\n");
        for (int i = 0; i < psnr.length; i++) {
            text.append(i).append(',').append(psnr[i]).append(',').append(ber[i]).append('\n');
        }
        return AtomicFiles.write(dir.resolve(relative), tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    /** Writes a CSV table; cells must not contain commas, an empty cell means "not applicable". */
    public Path table(String relative, List<String> header, List<List<String>> rows) {
        StringBuilder text = new StringBuilder(String.join(",", header)).append('\n');
        for (List<String> row : rows) {
            text.append(String.join(",", row)).append('\n');
        }
        return AtomicFiles.write(dir.resolve(relative), tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    /** A number for a table cell: empty for NaN. */
    static String cell(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.6g", value);
    }
}
