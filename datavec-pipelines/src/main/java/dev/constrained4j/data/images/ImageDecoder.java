package dev.constrained4j.data.images;

import dev.constrained4j.data.DataException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.datavec.api.split.CollectionInputSplit;
import org.datavec.api.writable.NDArrayWritable;
import org.datavec.api.writable.Writable;
import org.datavec.image.recordreader.ImageRecordReader;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Decodes image files into one {@code [n, 3, size, size]} float array in [0, 1], RGB, through DataVec's
 * {@link ImageRecordReader} (which decodes with OpenCV's {@code imdecode} and Leptonica as a fall-back).
 * <ul>
 *   <li>Resizing: OpenCV {@code resize} with its default bilinear interpolation ({@code INTER_LINEAR}), straight
 *       to {@code size × size} (the aspect ratio is not kept; no anti-aliasing when shrinking, like PyTorch's
 *       {@code F.interpolate(mode="bilinear")}).</li>
 *   <li>Channels: grey is copied to the three channels, an alpha channel is dropped; ImageRecordReader yields
 *       OpenCV's BGR order, which is turned into RGB here.</li>
 *   <li>Values: the 8-bit values divided by 255.</li>
 * </ul>
 * Before decoding, each file's header is read with {@code javax.imageio} (with the TwelveMonkeys plug-ins that
 * datavec-data-image brings) to check that it is an image of at least {@link ImageConfig#minSize()} pixels each
 * way with at most 8 bits per sample (OpenCV keeps the 16-bit values of a 16-bit PNG, which divided by 255 would
 * not lie in [0, 1]); a file that is not, or that OpenCV then cannot decode, is a {@link DataException} naming
 * the file.
 *
 * <p>Dependency: datavec-data-image adds about 70 MB in 40 jars to {@code ~/.m2} with
 * {@code -Djavacpp.platform=linux-x86_64} (OpenCV 28 MB, FFmpeg 16 MB, OpenBLAS 14 MB, Leptonica, HDF5, JavaCV,
 * TwelveMonkeys; measured with {@code mvn dependency:list}), below the 150 MB above which {@code javax.imageio}
 * would have been used instead.
 */
public final class ImageDecoder {

    /** File name extensions read as images (lower case); other files in a folder are skipped and counted. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp");

    private ImageDecoder() {
    }

    /** Whether a file name has one of the {@link #EXTENSIONS} (case-insensitive). */
    public static boolean isImageName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * Decodes the files, in order, into {@code [files.size(), 3, size, size]} float values in [0, 1].
     *
     * @throws DataException naming the first file that is missing, not a decodable image, or smaller than
     *                       {@code config.minSize()}
     */
    public static INDArray decode(List<Path> files, ImageConfig config) {
        List<URI> uris = new ArrayList<>(files.size());
        for (Path file : files) {
            checkHeader(file, config.minSize());
            uris.add(file.toAbsolutePath().toUri());
        }
        int n = files.size();
        int size = config.size();
        INDArray out = Nd4j.create(DataType.FLOAT, n, 3, size, size);
        if (n == 0) {
            return out;
        }
        try (ImageRecordReader reader = new ImageRecordReader(size, size, 3)) {
            reader.initialize(new CollectionInputSplit(uris));
            for (int i = 0; i < n; i++) {
                INDArray image = next(reader, files.get(i));
                if (image.rank() != 4 || image.size(1) != 3 || image.size(2) != size || image.size(3) != size) {
                    throw new DataException(files.get(i) + " decoded to shape " + java.util.Arrays.toString(image.shape())
                            + " instead of [1, 3, " + size + ", " + size + "]; convert it to an 8-bit PNG");
                }
                // BGR -> RGB, 0..255 -> 0..1
                INDArray rgb = Nd4j.concat(0, image.get(NDArrayIndex.point(0), NDArrayIndex.point(2)),
                                image.get(NDArrayIndex.point(0), NDArrayIndex.point(1)),
                                image.get(NDArrayIndex.point(0), NDArrayIndex.point(0)))
                        .reshape(3, size, size).castTo(DataType.FLOAT).divi(255f);
                out.get(NDArrayIndex.point(i)).assign(rgb);
            }
        } catch (IOException e) {
            throw new DataException("cannot read the images under " + commonParent(files) + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static INDArray next(ImageRecordReader reader, Path expected) {
        List<Writable> record;
        try {
            if (!reader.hasNext()) {
                throw new DataException(expected + " was skipped by the image reader (unsupported extension?);"
                        + " use a .png, .jpg or .bmp file");
            }
            record = reader.next();
        } catch (DataException e) {
            throw e;
        } catch (RuntimeException e) {
            Path file = reader.getCurrentFile() == null ? expected : reader.getCurrentFile().toPath();
            throw new DataException(file + " cannot be decoded as an image (" + rootMessage(e)
                    + "); delete it or replace it with a valid PNG, JPEG or BMP file", e);
        }
        if (reader.getCurrentFile() != null && !reader.getCurrentFile().toPath().equals(expected.toAbsolutePath())) {
            throw new IllegalStateException("image reader returned " + reader.getCurrentFile() + ", expected " + expected);
        }
        return ((NDArrayWritable) record.get(0)).get();
    }

    /**
     * Reads a file's header and returns its {@code {width, height}}.
     *
     * @throws DataException if the file is missing, no image decoder recognises it, or it is smaller than
     *                       {@code minSize} either way
     */
    public static int[] checkHeader(Path file, int minSize) {
        if (!Files.isRegularFile(file)) {
            throw new DataException("image file not found: " + file);
        }
        int width;
        int height;
        int bits;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new DataException(file + " is not a readable image (no PNG, JPEG or BMP header);"
                        + " delete it or replace it with a valid image file");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                width = reader.getWidth(0);
                height = reader.getHeight(0);
                bits = bitsPerSample(reader);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof DataException d) {
                throw d;
            }
            throw new DataException(file + " is not a readable image (" + rootMessage(e)
                    + "); delete it or replace it with a valid PNG, JPEG or BMP file", e);
        }
        if (bits > 8) {
            throw new DataException(file + " has " + bits + " bits per sample; only 8-bit images are read (their"
                    + " values divided by 255): convert it to an 8-bit PNG, e.g. 'convert " + file.getFileName()
                    + " -depth 8 out.png'");
        }
        if (width < minSize || height < minSize) {
            throw new DataException(file + " is " + width + "x" + height + " pixels, smaller than the minimum "
                    + minSize + "x" + minSize + "; remove it or lower the minimum image size");
        }
        return new int[]{width, height};
    }

    /** The largest sample size, in bits, of the image's stored type (8 when the reader does not say). */
    private static int bitsPerSample(ImageReader reader) throws IOException {
        javax.imageio.ImageTypeSpecifier type = reader.getRawImageType(0);
        if (type == null) {
            Iterator<javax.imageio.ImageTypeSpecifier> types = reader.getImageTypes(0);
            type = types.hasNext() ? types.next() : null;
        }
        if (type == null) {
            return 8;
        }
        int bits = 0;
        for (int size : type.getSampleModel().getSampleSize()) {
            bits = Math.max(bits, size);
        }
        return bits;
    }

    /**
     * Splits labelled files by {@code split} and decodes only the files each split keeps.
     *
     * @param labels one row of {@code labelNames.size()} values per file, or {@code null} for no labels
     */
    static ImageSplits decodeSplits(List<Path> files, float[][] labels, List<String> labelNames,
                                    ImageConfig config, SplitConfig split) {
        int[][] parts = split.assign(files.size());
        return new ImageSplits(subset(files, labels, labelNames, parts[0], config),
                subset(files, labels, labelNames, parts[1], config),
                subset(files, labels, labelNames, parts[2], config));
    }

    private static ImageSet subset(List<Path> files, float[][] labels, List<String> labelNames, int[] indices,
                                   ImageConfig config) {
        List<Path> chosen = new ArrayList<>(indices.length);
        for (int i : indices) {
            chosen.add(files.get(i));
        }
        INDArray y = null;
        if (labels != null) {
            float[][] rows = new float[indices.length][];
            for (int r = 0; r < indices.length; r++) {
                rows[r] = labels[indices[r]];
            }
            y = indices.length == 0 ? Nd4j.create(DataType.FLOAT, 0, labelNames.size())
                    : Nd4j.create(rows).castTo(DataType.FLOAT);
        }
        return new ImageSet(decode(chosen, config), y, labelNames, chosen);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.replace('\n', ' ').strip();
    }

    private static Path commonParent(List<Path> files) {
        return files.isEmpty() || files.get(0).getParent() == null ? Path.of(".") : files.get(0).getParent();
    }
}
