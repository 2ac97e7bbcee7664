package dev.constrained4j.runners.engine;

import java.util.Objects;

/**
 * One stage of training: a mode name, the phase it belongs to, its length, and how its best epoch is chosen. The
 * coefficient of each epoch is the stage's method's ({@link TrainingTask#method()}).
 */
public record Stage(String mode, String phase, int epochs, Selection selection) {

    public Stage {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(selection, "selection");
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs of stage " + mode + " must be >= 0, got " + epochs);
        }
    }
}
