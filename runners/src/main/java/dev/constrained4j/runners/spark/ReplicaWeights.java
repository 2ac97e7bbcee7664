package dev.constrained4j.runners.spark;

import dev.constrained4j.models.optim.AdamOptimizer;
import dev.constrained4j.runners.mnist.FusedMnistModel;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A replica's weights and Adam state as plain float arrays: what the driver broadcasts before a round and every
 * replica sends back after it (Java serialisation writes float arrays in bulk; ~4.9 MB for the MNIST model's 410k
 * parameters and two moments).
 *
 * @param parameters the engine's one flat parameter vector
 * @param moments    Adam's moments by name ({@code m/<param>}, {@code v/<param>}); empty before its first step
 * @param steps      Adam's step count {@code t}
 */
record ReplicaWeights(float[] parameters, LinkedHashMap<String, float[]> moments, long steps) implements Serializable {

    /** A copy of a model's weights and its optimiser's state. */
    static ReplicaWeights of(FusedMnistModel model, AdamOptimizer optimizer) {
        LinkedHashMap<String, float[]> moments = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : optimizer.state().entrySet()) {
            moments.put(e.getKey(), e.getValue().toFloatVector());
        }
        return new ReplicaWeights(flat(model).toFloatVector(), moments, optimizer.stepCount());
    }

    /** Sets a model's weights and (if not null) its optimiser's state to these. */
    void into(FusedMnistModel model, AdamOptimizer optimizer) {
        INDArray flat = flat(model);
        if (flat.length() != parameters.length) {
            throw new IllegalArgumentException("the replica has " + parameters.length + " parameters, the model "
                    + flat.length());
        }
        flat.data().asNioFloat().put(0, parameters);
        if (optimizer != null) {
            Map<String, INDArray> state = new LinkedHashMap<>();
            moments.forEach((k, v) -> state.put(k, Nd4j.createFromArray(v)));
            optimizer.restore(state, steps);
        }
    }

    /** The model's one flat parameter array (live). */
    static INDArray flat(FusedMnistModel model) {
        return model.parameters().values().iterator().next();
    }
}
