package dev.constrained4j.runners.mnist;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.constrained4j.runners.engine.IterationListener;
import dev.constrained4j.runners.engine.TrainingTask;
import dev.constrained4j.runners.run.RunFolder;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where the stages of an MNIST run are trained: on this machine ({@link #local}: one {@link MnistTask} per stage over
 * the data in memory) or elsewhere by the same contract (runners.spark: data-parallel on a Spark cluster). The
 * {@link MnistExperiment} drives either through the same {@code ConstrainedTrainer} and writes the same run folder.
 */
public interface MnistStages extends AutoCloseable {

    /** One stage's training task; closing it releases what it holds (its multipliers, a cluster's cached state). */
    interface StageTask extends TrainingTask, AutoCloseable {

        /** All parameters of the two-headed model: trained ones, plus the untrained decoder where there is none. */
        Map<String, INDArray> portableParameters();

        /** Sets who observes the training steps (a live monitor). */
        void setIterationListener(IterationListener listener);

        @Override
        void close();
    }

    /** The stages on this machine: the data loaded into memory, checked, one {@link MnistTask} per stage. */
    static MnistStages local(MnistConfig config) {
        return new LocalMnistStages(config);
    }

    /**
     * The task of one stage.
     *
     * @param initial     starting parameters of the encoder-classifier (and decoder, if the mode has one)
     * @param decoderInit decoder parameters for the portable graph when the mode trains none
     */
    StageTask open(MnistMode mode, RunFolder folder, MnistOutputs outputs, Map<String, INDArray> initial,
                   Map<String, INDArray> decoderInit);

    /** Adds to a new run's record what it must say about where the stages ran (nothing on this machine). */
    default void describe(ObjectNode record) {
    }

    /** Adds to the warm model's settings whatever makes its numbers differ from this machine's (nothing here). */
    default void describeWarmModel(ObjectNode settings) {
    }

    @Override
    default void close() {
    }
}
