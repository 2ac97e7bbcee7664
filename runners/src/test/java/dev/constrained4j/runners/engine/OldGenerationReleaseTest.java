package dev.constrained4j.runners.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OldGenerationReleaseTest {

    private static final long MIB = 1 << 20;

    /**
     * It collects only when the old generation holds more than 32 MiB beyond what was in use after its last
     * collection: 30 MiB after it, then 62 MiB in use (+32: no), 63 (+33: yes); 100 MiB after it, then 132 (no),
     * 140 (yes).
     */
    @Test
    void collectsOnlyPastTheThreshold() {
        AtomicLong used = new AtomicLong();
        AtomicLong live = new AtomicLong(30 * MIB);
        AtomicInteger collections = new AtomicInteger();
        OldGenerationRelease release = new OldGenerationRelease(used::get, live::get, collections::incrementAndGet);
        used.set(62 * MIB);
        assertFalse(release.afterEpoch());
        used.set(63 * MIB);
        assertTrue(release.afterEpoch());
        live.set(100 * MIB);
        used.set(132 * MIB);
        assertFalse(release.afterEpoch());
        used.set(140 * MIB);
        assertTrue(release.afterEpoch());
        assertEquals(2, collections.get());
    }

    /** The test JVM's own collector has an old generation that this finds; a fresh heap is far below the threshold. */
    @Test
    void theJvmsOldGenerationIsFound() {
        boolean found = java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
                .anyMatch(p -> p.getName().contains("Old") || p.getName().contains("Tenured"));
        assertTrue(found, "a heap pool named old or tenured");
        System.gc();
        assertFalse(OldGenerationRelease.ofThisJvm().afterEpoch());
    }
}
