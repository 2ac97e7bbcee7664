package dev.constrained4j.data.tabular;

import dev.constrained4j.data.EpochOrder;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Batches with the same number of rows from every protected group, drawn uniformly with replacement, so a
 * per-group constraint is estimated from as many samples for a small group as for a large one. A batch is a pure
 * function of {@code (seed, epoch, step, stream)}: resuming at any step repeats an uninterrupted run exactly, and
 * stream 0 (the objective batch) and stream 1 (an independent sample for the constraints) never share draws.
 */
public final class GroupBalancedSampler {

    /** Separates the sampler's random streams from other uses of the same seed. */
    private static final long DOMAIN = 0x6B5A_3C1E_D00DL;

    private final int[][] rowsOfGroup;
    private final int perGroup;
    private final long seed;

    /**
     * @param groups     the group of every row (e.g. {@link TabularData#groups()} of the training data)
     * @param groupCount the number of groups; every group must have a row
     * @param perGroup   rows drawn from each group per batch, at least 1
     * @param seed       the data-order seed
     * @throws IllegalArgumentException naming the bad argument, a group outside {@code 0..groupCount-1}, or an
     *                                  empty group
     */
    public GroupBalancedSampler(int[] groups, int groupCount, int perGroup, long seed) {
        if (groupCount < 1) {
            throw new IllegalArgumentException("groupCount must be >= 1, got " + groupCount);
        }
        if (perGroup < 1) {
            throw new IllegalArgumentException("perGroup must be >= 1, got " + perGroup);
        }
        if ((long) perGroup * groupCount > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("perGroup " + perGroup + " × groupCount " + groupCount
                    + " rows do not fit in one batch");
        }
        int[] sizes = new int[groupCount];
        for (int row = 0; row < groups.length; row++) {
            if (groups[row] < 0 || groups[row] >= groupCount) {
                throw new IllegalArgumentException("groups[" + row + "] = " + groups[row] + ", expected 0.."
                        + (groupCount - 1));
            }
            sizes[groups[row]]++;
        }
        rowsOfGroup = new int[groupCount][];
        for (int g = 0; g < groupCount; g++) {
            if (sizes[g] == 0) {
                throw new IllegalArgumentException("group " + g + " has no row (group sizes "
                        + Arrays.toString(sizes) + ")");
            }
            rowsOfGroup[g] = new int[sizes[g]];
        }
        int[] filled = new int[groupCount];
        for (int row = 0; row < groups.length; row++) {
            rowsOfGroup[groups[row]][filled[groups[row]]++] = row;
        }
        this.perGroup = perGroup;
        this.seed = seed;
    }

    /**
     * The rows of one batch: {@code perGroup} rows of group 0, then of group 1, and so on, each drawn uniformly
     * with replacement from its group.
     *
     * @param epoch  the epoch, {@code >= 0}
     * @param step   the step within the epoch, {@code >= 0}
     * @param stream 0 for the objective batch, 1 for the constraint sample (any {@code >= 0})
     */
    public int[] batch(int epoch, int step, int stream) {
        if (epoch < 0 || step < 0 || stream < 0) {
            throw new IllegalArgumentException("epoch, step and stream must be >= 0, got " + epoch + ", " + step
                    + ", " + stream);
        }
        SplittableRandom random = new SplittableRandom(
                EpochOrder.mix(EpochOrder.mix(seed, DOMAIN + stream, epoch), DOMAIN, step));
        int[] batch = new int[batchSize()];
        for (int g = 0; g < rowsOfGroup.length; g++) {
            int[] rows = rowsOfGroup[g];
            for (int k = 0; k < perGroup; k++) {
                batch[g * perGroup + k] = rows[random.nextInt(rows.length)];
            }
        }
        return batch;
    }

    /** The number of steps that draw about {@code rows} rows: {@code ceil(rows / (perGroup · groupCount))}. */
    public int stepsPerEpoch(int rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0, got " + rows);
        }
        long size = batchSize();
        return (int) ((rows + size - 1) / size);
    }

    /** Rows per batch: {@code perGroup · groupCount}. */
    public int batchSize() {
        return perGroup * rowsOfGroup.length;
    }

    /** Rows drawn from each group per batch. */
    public int perGroup() {
        return perGroup;
    }

    /** The number of groups. */
    public int groupCount() {
        return rowsOfGroup.length;
    }
}
