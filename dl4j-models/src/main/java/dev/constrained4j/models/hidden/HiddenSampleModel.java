package dev.constrained4j.models.hidden;

import dev.constrained4j.losses.method.BatchTerms;
import dev.constrained4j.losses.method.SampleBatch;
import dev.constrained4j.losses.method.SampleModel;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link HiddenSystem} as the training loop sees it ({@link SampleModel}): the forward pass takes the batch's
 * cover images and messages from a {@link Source} and runs {@link HiddenSystem#trainForward} (discriminator step
 * included), the backward pass runs {@link HiddenSystem#trainBackward} with the method's factors and hands the
 * step's metrics to a {@link StepMetrics} observer; the loop's optimizer is the system's
 * {@link HiddenSystem#generatorOptimizer()}.
 *
 * @param <D> what the batch indices point into
 */
public final class HiddenSampleModel<D> implements SampleModel<D> {

    /** Cover images {@code [b, 3, H, W]} and message bits {@code [b, L]} of one batch. */
    public record Images(INDArray cover, INDArray message) {
    }

    /** Where a batch's images and messages come from. */
    public interface Source<D> {
        /** The images of the samples {@code batch.indices()} of {@code data}, and their messages. */
        Images images(D data, SampleBatch batch);
    }

    /** Sees the metrics of every step ({@link HiddenSystem#trainBackward}'s keys). */
    public interface StepMetrics {
        void onStep(Map<String, Double> metrics, int batchSize);
    }

    private final Supplier<HiddenSystem> system;
    private final Source<D> source;
    private final StepMetrics metrics;

    /**
     * @param system the system to train, looked up at every call (a checkpoint may replace it)
     */
    public HiddenSampleModel(Supplier<HiddenSystem> system, Source<D> source, StepMetrics metrics) {
        this.system = Objects.requireNonNull(system, "system");
        this.source = Objects.requireNonNull(source, "source");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void forward(D data, SampleBatch batch, boolean needConstraints) {
        Images images = source.images(data, batch);
        system.get().trainForward(images.cover(), images.message(), batch);
    }

    @Override
    public void backward(SampleBatch batch, BatchTerms terms) {
        metrics.onStep(system.get().trainBackward(batch, terms), batch.size());
    }

    @Override
    public Map<String, INDArray> parameters() {
        return system.get().trainableParameters();
    }

    @Override
    public Map<String, INDArray> gradients() {
        return system.get().generatorGradients();
    }
}
