package dev.constrained4j.runners.engine;

import dev.constrained4j.losses.schedule.PenaltySchedule;
import java.util.Objects;

/**
 * One stage of training: a mode name, the phase it belongs to, its length, its coefficient schedule (null when
 * the stage's objective has no coefficient: its records then show "not applicable") and how its best epoch is
 * chosen.
 */
public record Stage(String mode, String phase, int epochs, PenaltySchedule schedule, Selection selection) {

    public Stage {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(selection, "selection");
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs of stage " + mode + " must be >= 0, got " + epochs);
        }
    }

    /** The coefficient of an epoch, NaN when the stage has none. */
    public double coefficient(int epoch) {
        return schedule == null ? Double.NaN : schedule.valueAt(epoch);
    }
}
