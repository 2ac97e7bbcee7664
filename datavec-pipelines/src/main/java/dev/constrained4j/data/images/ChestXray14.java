package dev.constrained4j.data.images;

import dev.constrained4j.data.DataException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ChestX-ray8/14 data set of the paper (NIH, 112,120 frontal chest X-rays) in its published layout: a folder
 * with {@value #IMAGES} (the PNGs) and {@value #CSV}, whose columns {@value #IMAGE_COLUMN} (file name) and
 * {@value #FINDINGS_COLUMN} ('|'-separated findings, {@value #NO_FINDING} for none) give multi-hot labels over
 * the 14 {@link #FINDINGS}, in the reference's order. Rows keep the CSV's order before the seeded split (70/15/15,
 * seed 42: docs/experiments.md, "The HiDDeN experiment"). It cannot be downloaded here (docs/experiments.md,
 * "Data that ships or can be rebuilt offline"); the loader is for users who have it.
 */
public final class ChestXray14 {

    public static final String IMAGES = "images";
    public static final String CSV = "Data_Entry_2017.csv";
    public static final String IMAGE_COLUMN = "Image Index";
    public static final String FINDINGS_COLUMN = "Finding Labels";
    public static final String NO_FINDING = "No Finding";
    /** The 14 findings, in the order of the reference's label vector. */
    public static final List<String> FINDINGS = List.of("Atelectasis", "Cardiomegaly", "Effusion", "Infiltration",
            "Mass", "Nodule", "Pneumonia", "Pneumothorax", "Consolidation", "Edema", "Emphysema", "Fibrosis",
            "Pleural_Thickening", "Hernia");

    private ChestXray14() {
    }

    /**
     * One row of the CSV.
     *
     * @param image    the image file name ({@value #IMAGE_COLUMN})
     * @param multiHot 14 values, 1 where the finding is present
     */
    public record Entry(String image, float[] multiHot) {

        public Entry {
            if (image == null || image.isBlank()) {
                throw new IllegalArgumentException("image must not be blank");
            }
            if (multiHot.length != FINDINGS.size()) {
                throw new IllegalArgumentException("multiHot must have " + FINDINGS.size() + " values, got "
                        + multiHot.length);
            }
        }
    }

    /**
     * Reads the image names and multi-hot labels of {@code csv}, in file order.
     *
     * @throws DataException if the file or one of the two columns is missing, or a row names an unknown finding
     */
    public static List<Entry> readEntries(Path csv) {
        if (!Files.isRegularFile(csv)) {
            throw new DataException("ChestX-ray14 label file not found: " + csv + "; put " + CSV
                    + " next to the " + IMAGES + "/ folder");
        }
        List<Entry> entries = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new DataException(csv + " is empty; expected a header with columns '" + IMAGE_COLUMN + "' and '"
                        + FINDINGS_COLUMN + "'");
            }
            List<String> columns = Csv.split(header.startsWith("\uFEFF") ? header.substring(1) : header);
            int imageCol = column(csv, columns, IMAGE_COLUMN);
            int findingsCol = column(csv, columns, FINDINGS_COLUMN);
            int lineNo = 1;
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                List<String> fields = Csv.split(line);
                if (fields.size() <= Math.max(imageCol, findingsCol)) {
                    throw new DataException(csv + " line " + lineNo + " has " + fields.size() + " fields, fewer than the"
                            + " header's columns '" + IMAGE_COLUMN + "' and '" + FINDINGS_COLUMN + "' need");
                }
                entries.add(new Entry(fields.get(imageCol).strip(), multiHot(csv, lineNo, fields.get(findingsCol))));
            }
        } catch (IOException e) {
            throw new DataException("cannot read " + csv + ": " + e.getMessage(), e);
        }
        return entries;
    }

    /**
     * Loads the data set under {@code root} ({@value #IMAGES}/ and {@value #CSV}), split by {@code split}; only
     * the images of the (limited) splits are decoded. Labels are multi-hot {@code [n, 14]} named {@link #FINDINGS}.
     *
     * @throws DataException naming the CSV, the missing column, or the first image the CSV lists that is missing
     */
    public static ImageSplits load(Path root, ImageConfig config, SplitConfig split) {
        List<Entry> entries = readEntries(root.resolve(CSV));
        Path imageDir = root.resolve(IMAGES);
        if (!Files.isDirectory(imageDir)) {
            throw new DataException("ChestX-ray14 image folder not found: " + imageDir + "; unpack the images_*.tar.gz"
                    + " archives into it");
        }
        List<Path> files = new ArrayList<>(entries.size());
        float[][] labels = new float[entries.size()][];
        for (int i = 0; i < entries.size(); i++) {
            Path file = imageDir.resolve(entries.get(i).image());
            if (!Files.isRegularFile(file)) {
                throw new DataException("ChestX-ray14 image not found: " + file + " (listed in " + root.resolve(CSV)
                        + "); unpack all image archives, or remove its row from the CSV");
            }
            files.add(file);
            labels[i] = entries.get(i).multiHot();
        }
        return ImageDecoder.decodeSplits(files, labels, FINDINGS, config, split);
    }

    private static int column(Path csv, List<String> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).strip().equals(name)) {
                return i;
            }
        }
        throw new DataException(csv + " has no column '" + name + "' (columns: " + columns
                + "); use the original " + CSV);
    }

    private static float[] multiHot(Path csv, int lineNo, String findings) {
        float[] hot = new float[FINDINGS.size()];
        for (String finding : findings.split("\\|")) {
            String f = finding.strip();
            if (f.equals(NO_FINDING) || f.isEmpty()) {
                continue;
            }
            int k = FINDINGS.indexOf(f);
            if (k < 0) {
                throw new DataException(csv + " line " + lineNo + " has unknown finding '" + f + "'; expected '"
                        + NO_FINDING + "' or some of " + FINDINGS + " separated by '|'");
            }
            hot[k] = 1f;
        }
        return hot;
    }
}
