package dev.constrained4j.data.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.data.DataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChestXray14Test {

    private static final String HEADER = "Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,"
            + "View Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y],";

    @TempDir
    Path root;

    /** Writes a tiny data set in the published layout; row i gets the given findings. */
    private void writeLayout(String header, List<String> findings) throws IOException {
        StringBuilder csv = new StringBuilder(header).append('\n');
        for (int i = 0; i < findings.size(); i++) {
            String name = String.format("%08d_000.png", i);
            TestImages.grey(root.resolve("images").resolve(name), 24, 24, 10 * i);
            csv.append(name).append(',').append(findings.get(i)).append(",0,").append(i)
                    .append(",058Y,M,PA,2682,2749,0.143,0.143,\n");
        }
        Files.writeString(root.resolve("Data_Entry_2017.csv"), csv);
    }

    @Test
    void multiHotLabelsFollowTheReferenceOrder() throws IOException {
        writeLayout(HEADER, List.of("Cardiomegaly", "No Finding", "Cardiomegaly|Emphysema", "Hernia|Atelectasis|Edema"));
        List<ChestXray14.Entry> entries = ChestXray14.readEntries(root.resolve("Data_Entry_2017.csv"));
        assertEquals(4, entries.size());
        float[] expected0 = new float[14];
        expected0[1] = 1;
        assertArrayEquals(expected0, entries.get(0).multiHot());
        assertArrayEquals(new float[14], entries.get(1).multiHot());
        float[] expected2 = new float[14];
        expected2[1] = 1;
        expected2[10] = 1;
        assertArrayEquals(expected2, entries.get(2).multiHot());
        float[] expected3 = new float[14];
        expected3[13] = 1;
        expected3[0] = 1;
        expected3[9] = 1;
        assertArrayEquals(expected3, entries.get(3).multiHot());
    }

    @Test
    void loadsSplitsWithLabelsMatchingTheirFiles() throws IOException {
        String[] pool = {"No Finding", "Mass", "Nodule|Pneumonia", "Effusion", "Pleural_Thickening|Fibrosis"};
        List<String> findings = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            findings.add(pool[i % pool.length]);
        }
        writeLayout(HEADER, findings);
        ImageSplits splits = ChestXray14.load(root, ImageConfig.of(16), SplitConfig.defaults());
        assertEquals(14, splits.train().size());
        assertEquals(3, splits.validation().size());
        assertEquals(3, splits.test().size());
        Map<Path, float[]> byFile = new HashMap<>();
        for (ChestXray14.Entry e : ChestXray14.readEntries(root.resolve("Data_Entry_2017.csv"))) {
            byFile.put(root.resolve("images").resolve(e.image()), e.multiHot());
        }
        for (ImageSet set : List.of(splits.train(), splits.validation(), splits.test())) {
            assertEquals(ChestXray14.FINDINGS, set.labelNames());
            assertArrayEquals(new long[]{set.size(), 3, 16, 16}, set.features().shape());
            for (int i = 0; i < set.size(); i++) {
                assertArrayEquals(byFile.get(set.files().get(i)), set.labels().getRow(i).toFloatVector());
            }
        }
        ImageSplits again = ChestXray14.load(root, ImageConfig.of(16), SplitConfig.defaults());
        assertEquals(splits.test().files(), again.test().files());
    }

    @Test
    void missingColumnCsvOrImageIsAOneLineErrorNamingIt() throws IOException {
        DataException noCsv = assertThrows(DataException.class,
                () -> ChestXray14.load(root, ImageConfig.of(8), SplitConfig.defaults()));
        assertTrue(noCsv.getMessage().contains("Data_Entry_2017.csv"), noCsv.getMessage());

        writeLayout("Image Index,Labels,Follow-up #", List.of("Mass"));
        DataException noColumn = assertThrows(DataException.class,
                () -> ChestXray14.load(root, ImageConfig.of(8), SplitConfig.defaults()));
        assertTrue(noColumn.getMessage().contains("'Finding Labels'"), noColumn.getMessage());
        assertTrue(!noColumn.getMessage().contains("\n"));

        writeLayout(HEADER, List.of("Mass", "Edema"));
        Files.delete(root.resolve("images/00000001_000.png"));
        DataException noImage = assertThrows(DataException.class,
                () -> ChestXray14.load(root, ImageConfig.of(8), SplitConfig.defaults()));
        assertTrue(noImage.getMessage().contains("00000001_000.png"), noImage.getMessage());

        writeLayout(HEADER, List.of("Mass|Broken_Bone"));
        DataException unknown = assertThrows(DataException.class,
                () -> ChestXray14.readEntries(root.resolve("Data_Entry_2017.csv")));
        assertTrue(unknown.getMessage().contains("Broken_Bone") && unknown.getMessage().contains("line 2"),
                unknown.getMessage());
    }
}
