package dev.constrained4j.data.images;

import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Images in memory with their labels.
 *
 * @param features   {@code [n, 3, size, size]} float, RGB, values in [0, 1]
 * @param labels     {@code [n, k]} float: one-hot for a class per image (folder, MRI plane) or multi-hot
 *                   (ChestX-ray findings); {@code null} when the images have no labels ({@code k = 0})
 * @param labelNames the name of each of the {@code k} label columns
 * @param files      the source file of each image, in row order
 */
public record ImageSet(INDArray features, INDArray labels, List<String> labelNames, List<Path> files) {

    public ImageSet {
        labelNames = List.copyOf(labelNames);
        files = List.copyOf(files);
        if (features.rank() != 4 || features.size(1) != 3 || features.size(0) != files.size()) {
            throw new IllegalArgumentException("features must be [n, 3, size, size] with n = " + files.size()
                    + " files, got " + java.util.Arrays.toString(features.shape()));
        }
        if (labels == null ? !labelNames.isEmpty()
                : labels.rank() != 2 || labels.size(0) != files.size() || labels.size(1) != labelNames.size()) {
            throw new IllegalArgumentException("labels must be [n, " + labelNames.size() + "] for n = " + files.size()
                    + " images and labelNames " + labelNames + ", got "
                    + (labels == null ? "null" : java.util.Arrays.toString(labels.shape())));
        }
    }

    /** The number of images. */
    public int size() {
        return files.size();
    }

    /** The class of image {@code i}: the index of its largest label (its one-hot position). */
    public int classOf(int i) {
        if (labels == null) {
            throw new IllegalStateException("these images have no labels");
        }
        return labels.getRow(i).argMax().getInt(0);
    }
}
