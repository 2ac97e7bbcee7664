package dev.constrained4j.runners.engine;

import java.nio.file.Path;

/**
 * Where a run keeps its checkpoints and the record of how far each stage has come. {@link #commit} is the
 * point at which an epoch becomes resumable: it must be atomic.
 */
public interface ProgressStore {

    /** The file a checkpoint after {@code epoch} of {@code mode} is written to. */
    Path checkpointFile(String mode, int epoch);

    /**
     * The committed progress of a stage ({@link StageProgress#notStarted} if none). For an unfinished stage it is
     * the latest committed progress whose checkpoint is intact: a store that finds the latest checkpoint missing or
     * corrupt answers the progress committed before it (whose checkpoint it kept), so that the stage resumes there.
     */
    StageProgress progress(String mode);

    /**
     * Atomically records {@code progress} and removes checkpoints that are no longer needed: those of the stage but
     * the latest committed and the one before it.
     */
    void commit(StageProgress progress);
}
