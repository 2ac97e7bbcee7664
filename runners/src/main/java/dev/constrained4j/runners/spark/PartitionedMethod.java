package dev.constrained4j.runners.spark;

import dev.constrained4j.losses.method.ConstrainedMethod;
import dev.constrained4j.losses.method.HeapMultipliers;
import dev.constrained4j.losses.method.MethodState;
import dev.constrained4j.losses.method.StatefulMethod;
import dev.constrained4j.runners.mnist.MnistConfig;
import dev.constrained4j.runners.mnist.MnistMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The driver's view of a method whose state is spread over the partitions: the schedule (τ or ρ of the epoch, decided
 * here and sent to the executors with every round) from a replica of the method without multipliers, the statistics
 * of the multipliers as the last evaluation aggregated them, and the state of the driver's checkpoint: the method's
 * scalars, with the dual steps of all partitions added up, and no multipliers (those are in the partitions'
 * checkpoint files, listed in the same checkpoint).
 */
final class PartitionedMethod implements StatefulMethod {

    private final ConstrainedMethod schedule;
    private Map<String, Double> statistics = new LinkedHashMap<>();
    private long dualSteps;

    PartitionedMethod(MnistMode mode, MnistConfig config) {
        this.schedule = config.method(mode, new HeapMultipliers(0));
    }

    /** Moves the schedule to {@code epoch} (its coefficient is the epoch's). */
    void beginEpoch(int epoch) {
        schedule.beginEpoch(epoch);
    }

    /** Records the aggregated statistics of the epoch just evaluated. */
    void setStatistics(Map<String, Double> values) {
        statistics = new LinkedHashMap<>(values);
    }

    /** Records the dual steps taken by all partitions so far. */
    void setDualSteps(long total) {
        dualSteps = total;
    }

    @Override
    public String name() {
        return schedule.name();
    }

    @Override
    public double coefficient() {
        return schedule.coefficient();
    }

    @Override
    public Map<String, Double> statistics() {
        return new LinkedHashMap<>(statistics);
    }

    @Override
    public MethodState state() {
        Map<String, Double> scalars = new LinkedHashMap<>(schedule.state().scalars());
        if (scalars.containsKey("dualSteps")) {
            scalars.put("dualSteps", (double) dualSteps);
        }
        return new MethodState(name(), scalars, null);
    }

    @Override
    public void restore(MethodState state) {
        state.requireMethod(name());
        MethodState own = schedule.state();
        schedule.restore(new MethodState(state.method(), state.scalars(), own.multipliers()));
        if (state.scalars().containsKey("dualSteps")) {
            dualSteps = (long) state.scalar("dualSteps");
        }
    }
}
