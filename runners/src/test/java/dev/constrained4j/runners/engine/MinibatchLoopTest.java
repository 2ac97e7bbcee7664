package dev.constrained4j.runners.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.constrained4j.losses.method.BatchTerms;
import dev.constrained4j.losses.method.ConstrainedMethod;
import dev.constrained4j.losses.method.MethodState;
import dev.constrained4j.losses.method.SampleBatch;
import dev.constrained4j.losses.method.SampleModel;
import dev.constrained4j.models.optim.AdamOptimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The one minibatch loop: its call order and its batches (training MNIST from plain Java: e2e PlainJavaTrainingTest). */
class MinibatchLoopTest {

    /** Records every call of the loop on a model and a method, in order. */
    static final class Recorder implements SampleModel<String>, ConstrainedMethod {
        final List<String> calls = new ArrayList<>();
        final Map<String, INDArray> params = Map.of("w", Nd4j.zeros(DataType.DOUBLE, 1));
        final Map<String, INDArray> grads = Map.of("w", Nd4j.ones(DataType.DOUBLE, 1));

        @Override
        public void forward(String data, SampleBatch batch, boolean needConstraints) {
            StringBuilder rows = new StringBuilder();
            for (int i = 0; i < batch.size(); i++) {
                rows.append(i == 0 ? "" : " ").append(batch.indices()[i]);
                batch.losses()[i] = 1.0;
                batch.constraints()[i] = batch.indices()[i];
            }
            calls.add("forward " + data + " [" + rows + "]");
        }

        @Override
        public void backward(SampleBatch batch, BatchTerms terms) {
            calls.add("backward " + terms.objective());
        }

        @Override
        public Map<String, INDArray> parameters() {
            return params;
        }

        @Override
        public Map<String, INDArray> gradients() {
            calls.add("gradients");
            return grads;
        }

        @Override
        public String name() {
            return "recorder";
        }

        @Override
        public void beginEpoch(int epoch) {
            calls.add("begin " + epoch);
        }

        @Override
        public BatchTerms terms(SampleBatch batch) {
            double sum = 0;
            for (int i = 0; i < batch.size(); i++) {
                sum += batch.losses()[i] + batch.constraints()[i];
            }
            calls.add("terms");
            return new BatchTerms(sum / batch.size(), 1, 1);
        }

        @Override
        public void dualStep(SampleBatch batch) {
            calls.add("dual");
        }

        @Override
        public void endEpoch(int epoch) {
            calls.add("end " + epoch);
        }

        @Override
        public double sampleObjective(long index, double loss, double constraint) {
            return loss + constraint;
        }

        @Override
        public double coefficient() {
            return Double.NaN;
        }

        @Override
        public MethodState state() {
            return new MethodState(name(), Map.of(), null);
        }

        @Override
        public void restore(MethodState state) {
        }
    }

    @Test
    void callsModelOptimizerAndMethodInTheContractsOrder() {
        Recorder r = new Recorder();
        MinibatchLoop<String> loop = new MinibatchLoop<>(r, r, new AdamOptimizer(0.1), "data");
        // batches of 2 over the order [4 0 3 1 2]: [4 0] [3 1] [2]; objectives mean(1 + index)
        double mean = loop.runEpoch(7, new int[]{4, 0, 3, 1, 2}, 2, null);
        assertEquals(List.of("begin 7",
                "forward data [4 0]", "terms", "backward 3.0", "gradients", "dual",
                "forward data [3 1]", "terms", "backward 3.0", "gradients", "dual",
                "forward data [2]", "terms", "backward 3.0", "gradients", "dual",
                "end 7"), r.calls);
        assertEquals(3.0, mean, 0.0);
        // one Adam step per batch moved w against its gradient of 1: three steps of lr each (bias-corrected)
        assertEquals(-0.3, r.params.get("w").getDouble(0), 1e-6);
    }

    @Test
    void takesExplicitBatchBoundsAndRejectsBadOnes() {
        Recorder r = new Recorder();
        MinibatchLoop<String> loop = new MinibatchLoop<>(r, r, new AdamOptimizer(0.1), "d");
        loop.runEpoch(0, new int[]{0, 1, 2}, new int[]{0, 3}, null);
        assertEquals("forward d [0 1 2]", r.calls.get(1));
        assertThrows(IllegalArgumentException.class, () -> loop.runEpoch(0, new int[]{0, 1}, new int[]{0, 1}, null));
        assertThrows(IllegalArgumentException.class, () -> loop.runEpoch(0, new int[]{0, 1}, new int[]{0, 0, 2}, null));
        assertThrows(IllegalArgumentException.class, () -> loop.runEpoch(0, new int[]{0, 1}, 0, null));
    }
}
