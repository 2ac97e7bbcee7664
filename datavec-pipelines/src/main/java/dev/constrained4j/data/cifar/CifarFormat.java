package dev.constrained4j.data.cifar;

import java.util.List;

/**
 * The two binary CIFAR formats (https://www.cs.toronto.edu/~kriz/cifar.html, "binary version"). A record is the
 * label byte(s) then 3072 pixel bytes: 1024 red, 1024 green, 1024 blue, each a 32×32 image in row-major order, so
 * a record's pixels are already one {@code [3, 32, 32]} (CHW) image.
 */
public enum CifarFormat {

    /** 1 label byte (0..9); {@code data_batch_1.bin}…{@code data_batch_5.bin}, {@code test_batch.bin}. */
    CIFAR10(1, 10, 0, "cifar-10-batches-bin",
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"),
            List.of("test_batch.bin"), "cifar-10-binary.tar.gz"),
    /** 2 label bytes, coarse (0..19) then fine (0..99); {@code train.bin}, {@code test.bin}. */
    CIFAR100(2, 100, 20, "cifar-100-binary", List.of("train.bin"), List.of("test.bin"), "cifar-100-binary.tar.gz");

    public static final int SIDE = 32;
    public static final int CHANNELS = 3;
    public static final int PIXELS = CHANNELS * SIDE * SIDE;

    private final int labelBytes;
    private final int fineClasses;
    private final int coarseClasses;
    private final String folder;
    private final List<String> trainFiles;
    private final List<String> testFiles;
    private final String archive;

    CifarFormat(int labelBytes, int fineClasses, int coarseClasses, String folder, List<String> trainFiles,
                List<String> testFiles, String archive) {
        this.labelBytes = labelBytes;
        this.fineClasses = fineClasses;
        this.coarseClasses = coarseClasses;
        this.folder = folder;
        this.trainFiles = trainFiles;
        this.testFiles = testFiles;
        this.archive = archive;
    }

    /** Bytes per record: label bytes + 3072. */
    public int recordBytes() {
        return labelBytes + PIXELS;
    }

    public int labelBytes() {
        return labelBytes;
    }

    /** The classes of a label kind; CIFAR-10 has only {@link CifarLabel#FINE} (its one label). */
    public int classes(CifarLabel label) {
        if (label == CifarLabel.COARSE && this == CIFAR10) {
            throw new IllegalArgumentException("CIFAR-10 has no coarse labels; use CifarLabel.FINE");
        }
        return label == CifarLabel.COARSE ? coarseClasses : fineClasses;
    }

    /** The offset of a label kind's byte in a record. */
    int labelOffset(CifarLabel label) {
        return this == CIFAR100 && label == CifarLabel.FINE ? 1 : 0;
    }

    /** The folder the official archive extracts to. */
    public String folder() {
        return folder;
    }

    public List<String> files(boolean train) {
        return train ? trainFiles : testFiles;
    }

    /** The official archive's name, for messages. */
    public String archive() {
        return archive;
    }
}
