package dev.constrained4j.runners.engine;

import dev.constrained4j.losses.schedule.PenaltySchedule;
import java.util.Objects;

/**
 * One stage of training: a mode name, the phase it belongs to, its length, its coefficient schedule and how
 * its best epoch is chosen.
 */
public record Stage(String mode, String phase, int epochs, PenaltySchedule schedule, Selection selection) {

    public Stage {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(selection, "selection");
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs of stage " + mode + " must be >= 0, got " + epochs);
        }
    }
}
