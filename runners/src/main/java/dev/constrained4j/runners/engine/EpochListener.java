package dev.constrained4j.runners.engine;

/** Observes a training run epoch by epoch (console progress, metrics file, live UI). */
public interface EpochListener {

    /** Called once per completed and evaluated epoch, before the epoch is committed as resumable. */
    void onEpochEnd(EpochRecord record);

    /** Called when a stage starts (or resumes at {@code firstEpoch}). */
    default void onStageStart(String mode, int firstEpoch, int epochs) {
    }
}
