package dev.constrained4j.models.optim;

import dev.constrained4j.losses.optim.PrimalOptimizer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The project's one {@link AdamOptimizer} as the inner optimiser of a weight-constrained method. */
public final class AdamPrimal implements PrimalOptimizer {

    private final AdamOptimizer adam;

    public AdamPrimal(AdamOptimizer adam) {
        this.adam = Objects.requireNonNull(adam, "adam");
    }

    @Override
    public void step(Map<String, INDArray> parameters, Map<String, INDArray> gradients, double learningRate) {
        adam.step(parameters, gradients, learningRate);
    }

    @Override
    public void write(DataOutputStream out) throws IOException {
        adam.write(out);
    }

    @Override
    public void read(DataInputStream in) throws IOException {
        adam.read(in);
    }
}
