package dev.constrained4j.data.images;

import dev.constrained4j.data.DataException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of images, read with {@link ImageDecoder} (DataVec's ImageRecordReader). Files with an image
 * extension ({@link ImageDecoder#EXTENSIONS}) are read; other files (a README, a CSV) are skipped and their number
 * is logged. Each image's class is the name of the top-level subfolder it lies in; images directly in the folder
 * have no class, and a folder with no image in a subfolder gives unlabelled images. An image with an image
 * extension that cannot be decoded, or is below the minimum size, is a {@link DataException} naming it.
 */
public final class ImageFolder {

    private static final Logger LOG = LoggerFactory.getLogger(ImageFolder.class);

    private ImageFolder() {
    }

    /**
     * The image files under {@code root}, sorted by path so the order does not depend on the file system.
     * With {@code recursive == false} only {@code root} and its direct subfolders are searched.
     *
     * @throws DataException if {@code root} is not a folder or holds no image
     */
    public static List<Path> list(Path root, boolean recursive) {
        if (!Files.isDirectory(root)) {
            throw new DataException("image folder not found: " + root + "; point the data option at a folder of"
                    + " .png/.jpg/.bmp images");
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root, recursive ? Integer.MAX_VALUE : 2)) {
            all = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        } catch (IOException | UncheckedIOException e) {
            throw new DataException("cannot list " + root + ": " + e.getMessage(), e);
        }
        List<Path> images = new ArrayList<>();
        for (Path file : all) {
            if (ImageDecoder.isImageName(file)) {
                images.add(file);
            }
        }
        int skipped = all.size() - images.size();
        if (skipped > 0) {
            LOG.info("{}: skipped {} file(s) without an image extension {}", root, skipped, ImageDecoder.EXTENSIONS);
        }
        if (images.isEmpty()) {
            throw new DataException("no image in " + root + " (" + all.size() + " other file(s)); expected files named *"
                    + String.join(", *", new TreeSet<>(ImageDecoder.EXTENSIONS)));
        }
        return images;
    }

    /**
     * Reads every image under {@code root}, split by {@code split}. Labels are one-hot over the sorted names of
     * the top-level subfolders that hold images; an image directly in {@code root} has an all-zero label row.
     * Without any such subfolder the images have no labels.
     */
    public static ImageSplits load(Path root, ImageConfig config, SplitConfig split) {
        List<Path> files = list(root, config.recursive());
        TreeSet<String> names = new TreeSet<>();
        for (Path file : files) {
            String cls = classOf(root, file);
            if (cls != null) {
                names.add(cls);
            }
        }
        List<String> classNames = List.copyOf(names);
        float[][] labels = null;
        if (!classNames.isEmpty()) {
            labels = new float[files.size()][classNames.size()];
            for (int i = 0; i < files.size(); i++) {
                String cls = classOf(root, files.get(i));
                if (cls != null) {
                    labels[i][classNames.indexOf(cls)] = 1f;
                }
            }
        }
        return ImageDecoder.decodeSplits(files, labels, classNames, config, split);
    }

    /** The top-level subfolder of {@code root} that holds {@code file}, or null if it lies in {@code root}. */
    private static String classOf(Path root, Path file) {
        Path relative = root.relativize(file);
        return relative.getNameCount() > 1 ? relative.getName(0).toString() : null;
    }
}
