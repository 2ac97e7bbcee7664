package dev.constrained4j.losses.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.losses.method.AugmentedLagrangian.Kind;
import dev.constrained4j.losses.schedule.PenaltySchedule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multipliers of 10⁸ samples in a memory-mapped file: values at the ends of the range, a dual step of the augmented
 * Lagrangian on samples near 10⁸, values kept when the file is reopened, and a heap that stays small. Only a few
 * pages of the 400 MB file are ever touched (nothing here visits every multiplier).
 */
class MappedMultipliersTest {

    static final long SAMPLES = 100_000_000L;
    static final long MB = 1L << 20;

    @TempDir
    Path folder;

    static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    @Test
    void hundredMillionMultipliersOffTheHeap() {
        Path file = folder.resolve("multipliers.f32");
        long before = usedHeap();
        try (MappedMultipliers store = new MappedMultipliers(file, SAMPLES)) {
            assertEquals(SAMPLES, store.size());
            // a new file starts at zero
            assertEquals(0f, store.get(0));
            assertEquals(0f, store.get(SAMPLES / 2));
            assertEquals(0f, store.get(SAMPLES - 1));

            store.set(0, 1.5f);
            store.set(12_345, -2.25f);
            store.set(99_999_999, 3.0e-7f);
            assertEquals(1.5f, store.get(0));
            assertEquals(-2.25f, store.get(12_345));
            assertEquals(3.0e-7f, store.get(99_999_999));
            assertEquals(0f, store.get(12_344));
            assertEquals(0f, store.get(12_346));
            assertThrows(IndexOutOfBoundsException.class, () -> store.get(SAMPLES));

            // the heap holds the mapping's objects, not 4·10⁸ bytes of floats
            long grown = usedHeap() - before;
            assertTrue(grown < 100 * MB, "the heap grew by " + grown / MB + " MB");
        }
        // 4 bytes per multiplier, little-endian floats
        assertEquals(4 * SAMPLES, file.toFile().length());
    }

    @Test
    void dualStepNearTheEndOfAHundredMillionSamples() {
        try (MappedMultipliers store = new MappedMultipliers(folder.resolve("alm.f32"), SAMPLES)) {
            store.set(99_999_998, 1.0f);
            AugmentedLagrangian alm = new AugmentedLagrangian(PenaltySchedule.constant(2), 0.5, 0.5, Kind.INEQUALITY,
                    store);
            long[] indices = {99_999_999, 99_999_998, 99_999_000, 98_765_432};
            SampleBatch batch = SampleBatch.of(indices, new double[]{0, 0, 0, 0}, new double[]{1.0, 0.25, 0.5, -1.5});
            // g = c − 0.5 = [0.5, −0.25, 0, −2]; λ = [0, 1, 0, 0] before the step
            // w = max(0, λ + 2g) = [1, 0.5, 0, 0]
            alm.terms(batch);
            assertArrayEquals(new double[]{1, 0.5, 0, 0}, batch.weights(), 0.0);
            // λ ← max(0, λ + 0.5·g) = [0.25, 0.875, 0, 0]
            alm.dualStep(batch);
            assertEquals(0.25f, store.get(99_999_999));
            assertEquals(0.875f, store.get(99_999_998));
            assertEquals(0f, store.get(99_999_000));
            assertEquals(0f, store.get(98_765_432));
            // a neighbour outside the batch is untouched
            assertEquals(0f, store.get(99_999_997));
        }
    }

    @Test
    void aReopenedFileKeepsItsValues() {
        Path file = folder.resolve("kept.f32");
        try (MappedMultipliers store = new MappedMultipliers(file, SAMPLES)) {
            store.set(7, 0.125f);
            store.set(99_999_999, 42f);
        }
        try (MappedMultipliers store = new MappedMultipliers(file, SAMPLES)) {
            assertEquals(0.125f, store.get(7));
            assertEquals(42f, store.get(99_999_999));
            assertEquals(0f, store.get(8));
        }
    }

    @Test
    void aFileOfAnotherSizeStartsAgainAtZero() throws IOException {
        Path file = folder.resolve("resized.f32");
        try (MappedMultipliers store = new MappedMultipliers(file, 1000)) {
            store.set(999, 5f);
        }
        try (MappedMultipliers store = new MappedMultipliers(file, 2000)) {
            assertEquals(0f, store.get(999));
            assertEquals(0f, store.get(1999));
        }
        assertEquals(2000 * Float.BYTES, Files.size(file));
    }

    @Test
    void stateIsReadStraightIntoTheMappedStore() throws IOException {
        try (MappedMultipliers source = new MappedMultipliers(folder.resolve("source.f32"), 1000);
             MappedMultipliers target = new MappedMultipliers(folder.resolve("target.f32"), 1000)) {
            AugmentedLagrangian original = new AugmentedLagrangian(PenaltySchedule.constant(1), Double.NaN, 0,
                    Kind.EQUALITY, source);
            original.dualStep(SampleBatch.of(new long[]{3, 999}, new double[]{0, 0}, new double[]{0.1, -0.7}));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                original.state().write(out);
            }

            AugmentedLagrangian restored = new AugmentedLagrangian(PenaltySchedule.constant(1), Double.NaN, 0,
                    Kind.EQUALITY, target);
            MethodState state;
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                state = MethodState.read(in, target);
            }
            assertSame(target, state.multipliers());
            restored.restore(state);
            for (long i = 0; i < 1000; i++) {
                assertEquals(Float.floatToRawIntBits(source.get(i)), Float.floatToRawIntBits(target.get(i)),
                        "λ_" + i);
            }
            assertEquals((float) 0.1, target.get(3));
            assertEquals((float) -0.7, target.get(999));
        }
    }
}
