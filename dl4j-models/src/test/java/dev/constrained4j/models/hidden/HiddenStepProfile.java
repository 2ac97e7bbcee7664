package dev.constrained4j.models.hidden;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where the time of one {@link HiddenSystem#trainOnBatch} goes: CPU time of the calling thread per SameDiff op
 * type, and the rest of the step. Not a test (name outside surefire's patterns, skipped unless
 * {@code -Dhidden.bench=true}); run like {@link HiddenThroughputBenchmark} with {@code -Dtest=HiddenStepProfile};
 * {@code bench.sizes} picks the size. It reaches the private graphs by reflection: a measuring tool, not an API.
 */
@EnabledIfSystemProperty(named = "hidden.bench", matches = "true")
class HiddenStepProfile {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Sums the calling thread's CPU time per op type. */
    private static final class OpTimer extends BaseListener {
        final Map<String, long[]> totals = new HashMap<>();
        long start;

        @Override
        public boolean isActive(Operation operation) {
            return true;
        }

        @Override
        public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext opContext) {
            start = THREADS.getCurrentThreadCpuTime();
        }

        @Override
        public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext opContext,
                                INDArray[] outputs) {
            long[] t = totals.computeIfAbsent(op.getOp().opName(), k -> new long[2]);
            t[0] += THREADS.getCurrentThreadCpuTime() - start;
            t[1]++;
        }
    }

    @Test
    void profile() throws ReflectiveOperationException {
        int size = Integer.parseInt(System.getProperty("bench.sizes", "32").split(",")[0]);
        int batch = Integer.getInteger("bench.batch", 16);
        int steps = Integer.getInteger("bench.steps", 2);
        HiddenSystem system = HiddenSystem.baseline(HiddenConfig.reference(size, 30), "", 1);
        INDArray cover = Nd4j.rand(DataType.FLOAT, batch, 3, size, size);
        INDArray message = Nd4j.rand(DataType.FLOAT, batch, 30).gt(0.5).castTo(DataType.FLOAT);
        system.trainOnBatch(cover, message, 0);
        OpTimer timer = new OpTimer();
        for (SameDiff sd : graphs(system)) {
            sd.addListeners(timer);
        }
        system.trainOnBatch(cover, message, 0);
        timer.totals.clear();
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < steps; i++) {
            system.trainOnBatch(cover, message, 0);
        }
        double stepMs = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e6 / steps;
        List<Map.Entry<String, long[]>> rows = new ArrayList<>(timer.totals.entrySet());
        rows.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        double inOps = 0;
        for (Map.Entry<String, long[]> e : rows) {
            double ms = e.getValue()[0] / 1e6 / steps;
            inOps += ms;
            if (ms >= 0.5) {
                System.err.printf("HIDDEN-PROFILE %-28s %8.1f ms/step %5d calls/step%n", e.getKey(), ms,
                        e.getValue()[1] / steps);
            }
        }
        System.err.printf("HIDDEN-PROFILE %d px batch %d: step %.1f ms CPU, in ops %.1f ms, outside ops %.1f ms%n",
                size, batch, stepMs, inOps, stepMs - inOps);
    }

    private static List<SameDiff> graphs(HiddenSystem system) throws ReflectiveOperationException {
        List<SameDiff> list = new ArrayList<>();
        for (Field f : HiddenSystem.class.getDeclaredFields()) {
            f.setAccessible(true);
            Object value = f.get(system);
            if (value instanceof Map<?, ?> map) {
                for (Object v : map.values()) {
                    if (v instanceof Record r) {
                        list.add((SameDiff) r.getClass().getRecordComponents()[0].getAccessor().invoke(r));
                    }
                }
            } else if (value instanceof Record r && r.getClass().getRecordComponents()[0].getType() == SameDiff.class) {
                list.add((SameDiff) r.getClass().getRecordComponents()[0].getAccessor().invoke(r));
            }
        }
        return list;
    }
}
