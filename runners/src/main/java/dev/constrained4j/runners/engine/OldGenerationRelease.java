package dev.constrained4j.runners.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees, between epochs, the native memory of ND4J arrays that died in the Java heap's old generation (BENCHMARKS.md,
 * "Long-run health"). ND4J releases an array's native buffer only once the collector has found the array dead, and
 * every buffer is tracked by a JavaCPP deallocator in one linked list: list nodes that were promoted keep their young
 * neighbours reachable at every young collection, so a few thousand arrays per step (HiDDeN's fused step makes about
 * 2,000 native allocations) reach the old generation, which the collector empties only when it is full. Nothing is
 * leaked, but resident memory climbs by hundreds of MiB before that first full collection: most of these are
 * small JavaCPP pointers of ND4J's op calls, not array buffers (a histogram after 100 HiDDeN epochs: 624,173 pending
 * deallocators against 12,929 buffers, about 6,000 per epoch), whose deallocators (about 100 bytes of heap each) and
 * native blocks wait for that collection. So after an epoch, when the old generation holds more than
 * {@value #MIN_GROWTH_MIB} MiB beyond what was in use right after its last collection, this asks for one full
 * collection ({@link System#gc()}: about 0.1 s here, 7 times in 100 HiDDeN epochs of 1–2 s); a run whose old
 * generation stays flat (the fused MNIST engine) never pays for it. The threshold is fixed: one relative to the size
 * left after the last collection would grow with the deallocators that collection had only just found dead. A JVM
 * started with {@code -XX:+DisableExplicitGC} ignores the request.
 */
final class OldGenerationRelease {

    private static final Logger LOG = LoggerFactory.getLogger(OldGenerationRelease.class);

    /** The smallest growth of the old generation, in MiB, that is collected. */
    static final long MIN_GROWTH_MIB = 32;

    private final LongSupplier used;
    private final LongSupplier liveAfterLastCollection;
    private final Runnable collect;

    /**
     * @param used                    bytes in use in the old generation now
     * @param liveAfterLastCollection bytes in use right after its last collection (0 before the first)
     * @param collect                 a full collection
     */
    OldGenerationRelease(LongSupplier used, LongSupplier liveAfterLastCollection, Runnable collect) {
        this.used = used;
        this.liveAfterLastCollection = liveAfterLastCollection;
        this.collect = collect;
    }

    /** The JVM's old generation (the heap pool the collector names tenured or old), or none if it has none. */
    static OldGenerationRelease ofThisJvm() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            String name = pool.getName();
            if (pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported()
                    && (name.contains("Old") || name.contains("Tenured"))) {
                return new OldGenerationRelease(() -> pool.getUsage().getUsed(),
                        () -> pool.getCollectionUsage() == null ? 0 : pool.getCollectionUsage().getUsed(), System::gc);
            }
        }
        return new OldGenerationRelease(() -> 0, () -> 0, () -> { });
    }

    /** Called after an epoch's commit: collects when the old generation has grown by the threshold. */
    boolean afterEpoch() {
        long live = liveAfterLastCollection.getAsLong();
        long growth = used.getAsLong() - live;
        if (growth <= MIN_GROWTH_MIB << 20) {
            return false;
        }
        LOG.debug("old generation {} MiB beyond the {} MiB live after its last collection: collecting",
                growth >> 20, live >> 20);
        collect.run();
        return true;
    }
}
