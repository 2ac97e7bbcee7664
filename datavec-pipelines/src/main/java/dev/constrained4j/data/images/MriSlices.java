package dev.constrained4j.data.images;

import dev.constrained4j.data.DataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real grey images that ship with the project (docs/experiments.md, "Data that ships or can be rebuilt offline"):
 * 390 slices, 128×128, of the Colin27 T1 brain MRI (Debian {@code mricron-data}, BSD-3-clause), made by
 * {@code scripts/make-mri-slices.sh}. {@value #LABELS} ({@code file,plane,index}) lists them. The class, one-hot
 * over {@link #CLASSES}, is the plane and the slice's position along the plane's axis in thirds: the listed slices of
 * a plane ranked by index, the first third {@code low}, then {@code mid}, then {@code high} ({@code axial-low} …
 * {@code sagittal-high}, 9 classes). The plane alone was too easy a downstream task to show harm: a classifier scored
 * accuracy and AUC 1.00 on clean and on every watermarked image set.
 */
public final class MriSlices {

    /** The folder in the repository, relative to its root. */
    public static final Path DEFAULT_DIR = Path.of("data", "mri-slices");
    public static final String LABELS = "labels.csv";
    /** The three classes, in label order. */
    public static final List<String> PLANES = List.of("axial", "coronal", "sagittal");
    /** The thirds of a plane's slices, by index. */
    public static final List<String> POSITIONS = List.of("low", "mid", "high");
    /** The classes, in label order: every plane's {@link #POSITIONS}. */
    public static final List<String> CLASSES = PLANES.stream()
            .flatMap(p -> POSITIONS.stream().map(q -> p + "-" + q)).toList();

    private MriSlices() {
    }

    /**
     * Loads the slices listed in {@code dir/labels.csv}, in its order, split by {@code split}.
     *
     * @throws DataException if the CSV is missing or malformed, names an unknown plane, or lists a missing image
     */
    public static ImageSplits load(Path dir, ImageConfig config, SplitConfig split) {
        Path csv = dir.resolve(LABELS);
        if (!Files.isRegularFile(csv)) {
            throw new DataException("MRI slice list not found: " + csv + "; run scripts/make-mri-slices.sh or point the"
                    + " data option at data/mri-slices");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (IOException e) {
            throw new DataException("cannot read " + csv + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).strip().equals("file,plane,index")) {
            throw new DataException(csv + " does not start with the header 'file,plane,index'; re-create it with"
                    + " scripts/make-mri-slices.sh");
        }
        List<Path> files = new ArrayList<>();
        List<Integer> planes = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> fields = Csv.split(lines.get(i));
            int plane = fields.size() == 3 ? PLANES.indexOf(fields.get(1).strip()) : -1;
            Integer index = fields.size() == 3 ? index(fields.get(2)) : null;
            if (plane < 0 || index == null) {
                throw new DataException(csv + " line " + (i + 1) + " is not 'file,plane,index' with a plane in " + PLANES
                        + " and a whole slice index: '" + lines.get(i) + "'; re-create it with"
                        + " scripts/make-mri-slices.sh");
            }
            Path file = dir.resolve(fields.get(0).strip());
            if (!Files.isRegularFile(file)) {
                throw new DataException("MRI slice not found: " + file + " (listed in " + csv
                        + "); re-create the folder with scripts/make-mri-slices.sh");
            }
            files.add(file);
            planes.add(plane);
            indices.add(index);
        }
        float[][] labels = new float[files.size()][CLASSES.size()];
        for (int plane = 0; plane < PLANES.size(); plane++) {
            int p = plane;
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                if (planes.get(i) == p) {
                    members.add(i);
                }
            }
            // ranked by index (ties: in listed order), cut into thirds
            members.sort(java.util.Comparator.comparing(indices::get));
            for (int r = 0; r < members.size(); r++) {
                labels[members.get(r)][plane * POSITIONS.size() + r * POSITIONS.size() / members.size()] = 1f;
            }
        }
        return ImageDecoder.decodeSplits(files, labels, CLASSES, config, split);
    }

    private static Integer index(String text) {
        try {
            int i = Integer.parseInt(text.strip());
            return i >= 0 ? i : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
