package dev.constrained4j.runners.ui;

import dev.constrained4j.reports.run.RunFiles;
import dev.constrained4j.runners.engine.EpochListener;
import dev.constrained4j.runners.engine.EpochRecord;
import dev.constrained4j.runners.engine.IterationListener;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Connects a training run to a {@link TrainingMonitor}: every iteration goes to the DL4J pages through a
 * ComputationGraph mirror of the model (parameters copied only when the monitor reports), and every epoch's
 * coefficient, objective and metrics go to the constrained-quantities page.
 */
public final class MonitorBridge implements EpochListener, IterationListener {

    private final TrainingMonitor monitor;
    private final ComputationGraph mirror;
    private int iteration;

    public MonitorBridge(TrainingMonitor monitor, ComputationGraph mirror) {
        this.monitor = monitor;
        this.mirror = mirror;
    }

    @Override
    public void onIteration(String mode, int epoch, double objective, int batchSize,
                            Supplier<Map<String, INDArray>> parameters) {
        if (!monitor.enabled()) {
            return;
        }
        if (monitor.reportsAt(iteration)) {
            parameters.get().forEach((name, value) -> {
                if (mirror.paramTable().containsKey(name)) {
                    mirror.setParam(name, value.castTo(mirror.getParam(name).dataType()));
                }
            });
        }
        // before the first evaluation there is no objective yet: the score chart starts at 0
        monitor.iteration(mirror, iteration, epoch, Double.isFinite(objective) ? objective : 0.0, batchSize);
        iteration++;
    }

    @Override
    public void onEpochEnd(EpochRecord record) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put(RunFiles.PENALTY_WEIGHT, record.coefficient());
        values.put("objective", record.objective());
        values.putAll(record.metrics());
        monitor.epoch(record.mode(), record.epoch(), values);
    }
}
