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
     * It collects only when the old generation holds more than max(64 MiB, live) beyond the live size after its last
     * collection: 30 MiB live, then 90 MiB in use (+60: no), 95 (+65: yes); 100 MiB live, then 190 (+90 < 100: no),
     * 201 (+101: yes).
     */
    @Test
    void collectsOnlyPastTheThreshold() {
        AtomicLong used = new AtomicLong();
        AtomicLong live = new AtomicLong(30 * MIB);
        AtomicInteger collections = new AtomicInteger();
        OldGenerationRelease release = new OldGenerationRelease(used::get, live::get, collections::incrementAndGet);
        used.set(90 * MIB);
        assertFalse(release.afterEpoch());
        used.set(95 * MIB);
        assertTrue(release.afterEpoch());
        live.set(100 * MIB);
        used.set(190 * MIB);
        assertFalse(release.afterEpoch());
        used.set(201 * MIB);
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
