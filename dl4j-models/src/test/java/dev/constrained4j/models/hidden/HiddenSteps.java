package dev.constrained4j.models.hidden;

import dev.constrained4j.losses.method.BatchTerms;
import dev.constrained4j.losses.method.ConstrainedMethod;
import dev.constrained4j.losses.method.PenaltyMethod;
import dev.constrained4j.losses.method.SampleBatch;
import dev.constrained4j.losses.penalty.PenaltyFunction;
import dev.constrained4j.losses.schedule.PenaltySchedule;
import java.util.Map;
import java.util.stream.LongStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One HiDDeN training step for the tests, in the call order of the {@code ConstrainedMethod} contract (what
 * {@code runners.engine.MinibatchLoop} does per batch): {@link HiddenSystem#trainForward} → {@code method.terms} →
 * {@link HiddenSystem#trainBackward} → the generator's Adam step → {@code method.dualStep}.
 */
final class HiddenSteps {

    private HiddenSteps() {
    }

    /**
     * One step on a batch whose images are the training samples {@code indices} (the multipliers' keys of a
     * per-sample method).
     *
     * @return the step's metrics ({@link HiddenSystem#trainBackward})
     */
    static Map<String, Double> train(HiddenSystem system, INDArray cover, INDArray message, ConstrainedMethod method,
                                     long[] indices) {
        SampleBatch batch = new SampleBatch(indices.length).resize(indices.length);
        System.arraycopy(indices, 0, batch.indices(), 0, indices.length);
        return train(system, cover, message, method, batch);
    }

    /**
     * One step on {@code batch}, whose size and indices are set; it is left holding the step's {@code ℓ_i},
     * {@code c_i} and the method's {@code w_i}.
     */
    static Map<String, Double> train(HiddenSystem system, INDArray cover, INDArray message, ConstrainedMethod method,
                                     SampleBatch batch) {
        system.trainForward(cover, message, batch);
        BatchTerms terms = method.terms(batch);
        Map<String, Double> metrics = system.trainBackward(batch, terms);
        system.generatorOptimizer().step(system.trainableParameters(), system.generatorGradients());
        method.dualStep(batch);
        return metrics;
    }

    /** One step on samples {@code 0 … n−1}. */
    static Map<String, Double> train(HiddenSystem system, INDArray cover, INDArray message, ConstrainedMethod method) {
        return train(system, cover, message, method, LongStream.range(0, cover.size(0)).toArray());
    }

    /**
     * The method of the system's mode with coefficient τ, as the runner builds it: the reference's baseline
     * {@code 0.7·MSE} is the fixed penalty {@code encoderWeight·c_i} (τ is not used), the constrained mode the
     * sequential hinge penalty {@code τ·max(0, T − PSNR_i)} (bound 0 on {@code c_i = T − PSNR_i}).
     */
    static PenaltyMethod method(HiddenSystem system, double tau) {
        return system.isConstrained()
                ? PenaltyMethod.sequential(PenaltySchedule.constant(tau), PenaltyFunction.HINGE, 0.0)
                : PenaltyMethod.fixed(system.config().encoderWeight());
    }

    /** One step with {@link #method(HiddenSystem, double)}: the old {@code trainOnBatch(cover, message, τ)}. */
    static Map<String, Double> train(HiddenSystem system, INDArray cover, INDArray message, double tau) {
        return train(system, cover, message, method(system, tau));
    }
}
