package dev.constrained4j.runners.spark;

import dev.constrained4j.reports.run.RunFiles;
import dev.constrained4j.runners.engine.EpochListener;
import dev.constrained4j.runners.mnist.MnistConfig;
import dev.constrained4j.runners.mnist.MnistExperiment;
import dev.constrained4j.runners.run.Continuation;
import dev.constrained4j.runners.run.RunFolder;
import dev.constrained4j.runners.ui.UiOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The MNIST experiment trained data-parallel on Spark ({@code mnist --spark MASTER}, docs/scale-out.md): the
 * {@link MnistExperiment} itself — run folder, record, warm model, one stage per mode, checkpoints, resume, report —
 * with its stages trained by {@link SparkMnistStages} on a context started for the run. The record gets a
 * {@code spark} block; the executors' logs of a local-cluster go to {@code RUN/spark/}.
 */
public final class SparkMnistExperiment {

    /** The folder of the run that holds the executors' logs of a local-cluster. */
    public static final String LOGS = "spark";

    private final List<EpochListener> extraListeners;
    private final Function<Path, UiOptions> ui;

    /**
     * @param extraListeners observers of every epoch, besides the metrics file and the console
     * @param ui             the live UI settings for a run folder, or null for none
     */
    public SparkMnistExperiment(List<EpochListener> extraListeners, Function<Path, UiOptions> ui) {
        this.extraListeners = List.copyOf(extraListeners);
        this.ui = ui;
    }

    /** Whether {@code runDir} holds a run trained in the Spark mode (its record has a {@code spark} block). */
    public static boolean isSparkRun(Path runDir) {
        Path record = runDir.resolve(RunFiles.RUN_JSON);
        return java.nio.file.Files.isRegularFile(record) && !RunFolder.readJson(record).path("spark").isMissingNode();
    }

    /** Starts a new run on {@code spark.master()}. */
    public MnistExperiment.Result run(MnistConfig config, SparkConfig spark) {
        SparkMnistStages.check(config, spark);
        try (Session session = new Session(SparkCluster.start(spark, APP, config.threads()), true)) {
            return session.run(experiment -> experiment.run(config));
        }
    }

    /**
     * Continues a Spark run with its recorded partitions and averaging period, on {@code master} (null: the recorded
     * one): a run may move between local[N], local-cluster and a standalone cluster, not change its partitioning.
     *
     * @throws IllegalArgumentException if the run was not made in the Spark mode
     */
    public MnistExperiment.Result resume(Path runDir, Continuation changes, String master, int threads) {
        SparkConfig recorded = recorded(runDir);
        SparkConfig spark = master == null ? recorded : recorded.withMaster(master);
        try (Session session = new Session(SparkCluster.start(spark, APP, threads), true)) {
            return session.run(experiment -> experiment.resume(runDir, changes));
        }
    }

    /** A new run on a cluster that the caller started (and stops): tests share one context between runs. */
    MnistExperiment.Result run(MnistConfig config, SparkCluster cluster) {
        try (Session session = new Session(cluster, false)) {
            return session.run(experiment -> experiment.run(config));
        }
    }

    /** Continues a run on a cluster that the caller started, which must have the run's partitions and period. */
    MnistExperiment.Result resume(Path runDir, Continuation changes, SparkCluster cluster) {
        SparkConfig recorded = recorded(runDir);
        if (recorded.partitions() != cluster.config().partitions()
                || recorded.averagingPeriod() != cluster.config().averagingPeriod()) {
            throw new IllegalArgumentException(runDir + " was trained with " + recorded + ", not " + cluster.config());
        }
        try (Session session = new Session(cluster, false)) {
            return session.run(experiment -> experiment.resume(runDir, changes));
        }
    }

    private static SparkConfig recorded(Path runDir) {
        if (!isSparkRun(runDir)) {
            throw new IllegalArgumentException(runDir + " was not trained with --spark; resume it without --spark");
        }
        return SparkConfig.fromJson(RunFolder.readJson(runDir.resolve(RunFiles.RUN_JSON)).path("spark"));
    }

    private static final String APP = "constrained4j mnist";

    /** One run on a cluster: its stages, and, if it owns the cluster, the cluster's end with the logs in the run. */
    private final class Session implements AutoCloseable {
        private final SparkCluster cluster;
        private final boolean owned;
        private SparkMnistStages last;

        Session(SparkCluster cluster, boolean owned) {
            this.cluster = cluster;
            this.owned = owned;
        }

        MnistExperiment.Result run(Function<MnistExperiment, MnistExperiment.Result> body) {
            return body.apply(new MnistExperiment(extraListeners, ui, config -> {
                last = new SparkMnistStages(cluster, config);
                return last;
            }));
        }

        @Override
        public void close() {
            if (owned) {
                Path runDir = last == null ? null : last.runDir();
                cluster.close(runDir == null ? null : runDir.resolve(LOGS));
            }
        }
    }
}
