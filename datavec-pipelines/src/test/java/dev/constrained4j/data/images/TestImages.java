package dev.constrained4j.data.images;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes small generated images for the tests. */
final class TestImages {

    private TestImages() {
    }

    /** A grey PNG whose pixel (x, y) is {@code value}, or a horizontal ramp when {@code value < 0}. */
    static Path grey(Path file, int width, int height, int value) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = value >= 0 ? value : x * 255 / Math.max(1, width - 1);
                image.getRaster().setSample(x, y, 0, v);
            }
        }
        return write(file, image, "png");
    }

    /** A uniformly coloured RGB image in the given format ("png", "bmp", "jpg"). */
    static Path rgb(Path file, int width, int height, int r, int g, int b, String format) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return write(file, image, format);
    }

    private static Path write(Path file, BufferedImage image, String format) {
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(image, format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
