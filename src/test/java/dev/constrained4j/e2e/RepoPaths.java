package dev.constrained4j.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository's shipped data from wherever the test JVM runs (module folder or root). */
final class RepoPaths {

    private RepoPaths() {
    }

    /** The folder holding the shipped MNIST files. */
    static Path mnist() {
        return shipped("data/mnist");
    }

    /** The folder holding the shipped MRI slices (the HiDDeN default images). */
    static Path mriSlices() {
        return shipped("data/mri-slices");
    }

    /** The folder holding the shipped extra grey images (HiDDeN's extra carriers). */
    static Path greyImages() {
        return shipped("data/grey-images");
    }

    /** The shipped CPSSW8 file (the fairness default data). */
    static Path cpssw8() {
        return shipped("data/cpssw8").resolve("cpssw8.csv.gz");
    }

    private static Path shipped(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }
}
