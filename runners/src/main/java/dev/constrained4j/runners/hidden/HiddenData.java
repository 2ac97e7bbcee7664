package dev.constrained4j.runners.hidden;

import dev.constrained4j.data.DataException;
import dev.constrained4j.data.images.ChestXray14;
import dev.constrained4j.data.images.ImageConfig;
import dev.constrained4j.data.images.ImageDecoder;
import dev.constrained4j.data.images.ImageFolder;
import dev.constrained4j.data.images.ImageSet;
import dev.constrained4j.data.images.ImageSplits;
import dev.constrained4j.data.images.MriSlices;
import dev.constrained4j.data.images.SplitConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The images of a HiDDeN run, split 70/15/15 with seed 42 (docs/experiments.md, "The HiDDeN experiment") and cut to the
 * run's limits. The layout of the data folder chooses the reader: {@value ChestXray14#CSV} → ChestX-ray14,
 * {@value MriSlices#LABELS} → the shipped MRI slices, anything else → a folder of images (classes from its subfolders).
 * The images of the configuration's extra training folder, if any, are added to the training split as extra carriers
 * (docs/hidden.md, "More carriers"); validation, test and the downstream classifier keep the data folder's splits.
 *
 * @param kind   "chestxray14", "mri-slices" or "image-folder"
 * @param splits the train, validation and test images of the data folder, {@code [n, 3, size, size]} in [0, 1]
 * @param extra  the extra training images (unlabelled), or null for none
 * @param train  the images HiDDeN trains on: the training split followed by the extra images
 * @param sha256 a hash of the decoded pixels of the training images (extra ones included), validation and test, to
 *               check that a resumed run sees the same data
 */
public record HiddenData(String kind, ImageSplits splits, ImageSet extra, ImageSet train, String sha256) {

    private static final Logger LOG = LoggerFactory.getLogger(HiddenData.class);

    /** Reads the data a configuration names. */
    public static HiddenData load(HiddenRunConfig config) {
        Path dir = config.dataDir();
        if (!Files.isDirectory(dir)) {
            throw new DataException("data folder not found: " + dir + " (-d/--data-dir: the shipped data/mri-slices,"
                    + " a ChestX-ray14 folder with " + ChestXray14.CSV + ", or a folder of images)");
        }
        long start = System.nanoTime();
        ImageConfig images = ImageConfig.of(config.imageSize());
        SplitConfig split = SplitConfig.defaults().withLimits(config.trainLimit(), config.valLimit(), config.testLimit());
        String kind;
        ImageSplits splits;
        if (Files.isRegularFile(dir.resolve(ChestXray14.CSV))) {
            kind = "chestxray14";
            splits = ChestXray14.load(dir, images, split);
        } else if (Files.isRegularFile(dir.resolve(MriSlices.LABELS))) {
            kind = "mri-slices";
            splits = MriSlices.load(dir, images, split);
        } else {
            kind = "image-folder";
            splits = ImageFolder.load(dir, images, split);
        }
        for (String[] part : new String[][]{{"training", "train"}, {"validation", "val"}, {"test", "test"}}) {
            ImageSet set = switch (part[1]) {
                case "train" -> splits.train();
                case "val" -> splits.validation();
                default -> splits.test();
            };
            if (set.size() < 2) {
                throw new DataException(dir + " gives " + set.size() + " " + part[0] + " image(s); HiDDeN needs at"
                        + " least 2 per split (batch norm), so the folder needs at least 14 images");
            }
        }
        LOG.info("{} ({}): {} training, {} validation, {} test images at {} px ({} ms)", dir, kind,
                splits.train().size(), splits.validation().size(), splits.test().size(), config.imageSize(),
                (System.nanoTime() - start) / 1_000_000);
        ImageSet extra = null;
        ImageSet train = splits.train();
        if (config.extraTrainDir() != null) {
            Path more = config.extraTrainDir();
            if (!Files.isDirectory(more)) {
                throw new DataException("extra training images not found: " + more + " (--extra-train-dir: a folder"
                        + " of images, such as the shipped data/grey-images)");
            }
            long t = System.nanoTime();
            List<Path> files = ImageFolder.list(more, images.recursive());
            extra = new ImageSet(ImageDecoder.decode(files, images), null, List.of(), files);
            List<Path> all = new ArrayList<>(train.files());
            all.addAll(files);
            train = new ImageSet(Nd4j.concat(0, train.features(), extra.features()), null, List.of(), all);
            LOG.info("{}: {} extra training images, {} in all ({} ms)", more, extra.size(), train.size(),
                    (System.nanoTime() - t) / 1_000_000);
        }
        return new HiddenData(kind, splits, extra, train, sha256(train, splits.validation(), splits.test()));
    }

    /** The training split of the data folder with its labels (the downstream classifier's), without extra images. */
    public ImageSet labelledTrain() {
        return splits.train();
    }

    public ImageSet validation() {
        return splits.validation();
    }

    public ImageSet test() {
        return splits.test();
    }

    /**
     * Whether the images have one class each (one-hot labels over two classes or more): the downstream
     * classifier needs that; multi-hot labels (ChestX-ray findings) and unlabelled folders do not qualify.
     */
    public boolean hasSingleClassLabels() {
        for (ImageSet set : new ImageSet[]{labelledTrain(), test()}) {
            if (set.labels() == null || set.labelNames().size() < 2) {
                return false;
            }
            INDArray sums = set.labels().sum(1);
            INDArray ones = sums.like().assign(1);
            if (!sums.equalsWithEps(ones, 1e-6)) {
                return false;
            }
        }
        return true;
    }

    private static String sha256(ImageSet... sets) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (ImageSet set : sets) {
                float[] pixels = set.features().castTo(DataType.FLOAT).dup('c').data().asFloat();
                ByteBuffer bytes = ByteBuffer.allocate(pixels.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(pixels);
                digest.update(bytes.array());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
