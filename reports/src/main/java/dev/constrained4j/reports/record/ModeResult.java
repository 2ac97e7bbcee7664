package dev.constrained4j.reports.record;

/**
 * Which epoch of a mode the runner kept, from {@code run.json}'s {@code results}.
 *
 * @param bestEpoch  the selected epoch (0-based), whose metrics the summary shows
 * @param selectedBy how it was selected (e.g. {@code "max train_satisfied"} or {@code "last epoch"})
 * @param lastEpoch  the last epoch trained
 */
public record ModeResult(int bestEpoch, String selectedBy, int lastEpoch) {
}
