package dev.constrained4j.runners.fairness;

import dev.constrained4j.data.tabular.AcsIncome;
import dev.constrained4j.data.tabular.Cpssw8;
import dev.constrained4j.data.tabular.Standardizer;
import dev.constrained4j.data.tabular.StratifiedSplit;
import dev.constrained4j.data.tabular.TabularData;
import java.util.List;
import java.util.Locale;

/**
 * The data of a fairness run: the file loaded, split 80/20 within every group (seeded), the features standardised
 * with the training split's means and deviations, as network inputs.
 *
 * @param train the training rows
 * @param test  the test rows
 */
record FairnessData(TabularData raw, GroupBatchModel.Rows train, GroupBatchModel.Rows test,
                           StratifiedSplit.Split split, Standardizer standardizer) {

    /** Loads, splits and standardises the data of {@code config}. */
    public static FairnessData load(FairnessConfig config) {
        TabularData raw = config.dataset().equals("cpssw8")
                ? Cpssw8.load(config.dataFile(), config.protectedAttribute(), config.keepProtected())
                : AcsIncome.load(config.dataFile(), config.keepProtected());
        StratifiedSplit.Split split = StratifiedSplit.split(raw, config.testFraction(), config.seed());
        Standardizer standardizer = Standardizer.fit(split.train());
        return new FairnessData(raw, rows(standardizer.apply(split.train())),
                rows(standardizer.apply(split.test())), split, standardizer);
    }

    private static GroupBatchModel.Rows rows(TabularData data) {
        return new GroupBatchModel.Rows(data.features(), data.width(), data.labels(), data.groups());
    }

    /** The groups' names. */
    public List<String> groupNames() {
        return raw.groupNames();
    }

    /** The metric-column slug of a group name: lower case, other characters than letters and digits → '_'. */
    public static String slug(String group) {
        return group.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    }
}
