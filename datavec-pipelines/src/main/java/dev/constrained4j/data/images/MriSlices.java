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
 * {@code scripts/make-mri-slices.sh}. {@value #LABELS} ({@code file,plane,index}) lists them; the plane is the class,
 * one-hot over {@link #PLANES}.
 */
public final class MriSlices {

    /** The folder in the repository, relative to its root. */
    public static final Path DEFAULT_DIR = Path.of("data", "mri-slices");
    public static final String LABELS = "labels.csv";
    /** The three classes, in label order. */
    public static final List<String> PLANES = List.of("axial", "coronal", "sagittal");

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
        List<float[]> labels = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> fields = Csv.split(lines.get(i));
            int plane = fields.size() == 3 ? PLANES.indexOf(fields.get(1).strip()) : -1;
            if (plane < 0) {
                throw new DataException(csv + " line " + (i + 1) + " is not 'file,plane,index' with a plane in " + PLANES
                        + ": '" + lines.get(i) + "'; re-create it with scripts/make-mri-slices.sh");
            }
            Path file = dir.resolve(fields.get(0).strip());
            if (!Files.isRegularFile(file)) {
                throw new DataException("MRI slice not found: " + file + " (listed in " + csv
                        + "); re-create the folder with scripts/make-mri-slices.sh");
            }
            float[] oneHot = new float[PLANES.size()];
            oneHot[plane] = 1f;
            files.add(file);
            labels.add(oneHot);
        }
        return ImageDecoder.decodeSplits(files, labels.toArray(new float[0][]), PLANES, config, split);
    }
}
