package dev.constrained4j.reports.run;

import java.util.List;

/**
 * The schema of a run folder, declared once for the runners that write it and the report that reads it: the
 * files' names, the leading columns of {@code metrics.csv}, and the keys of {@code run.json}. Every file of a run
 * folder is written through {@link AtomicFiles}.
 *
 * <pre>
 * runs/&lt;run-id&gt;/
 *   run.json          the run record: {@link Key}
 *   progress.json     per stage: committed epochs, best epoch, the checkpoint to resume from
 *   metrics.csv       one row per stage and epoch: {@link #METRICS_LEADING}, then the experiment's metric columns
 *   checkpoints/      &lt;mode&gt;-epoch-&lt;k&gt;.ckpt with &lt;name&gt;.sha256 beside, the last two committed epochs
 *   run.lock          the process that holds the folder (removed when it ends)
 *   report.html       the report built from run.json and metrics.csv
 * </pre>
 */
public final class RunFiles {

    /** The run record. */
    public static final String RUN_JSON = "run.json";
    /** Per-stage progress, committed after every epoch. */
    public static final String PROGRESS_JSON = "progress.json";
    /** One row per stage and epoch. */
    public static final String METRICS_CSV = "metrics.csv";
    /** The report. */
    public static final String REPORT_HTML = "report.html";
    /** The folder of the checkpoints. */
    public static final String CHECKPOINTS = "checkpoints";
    /** The lock of the process that writes the folder. */
    public static final String LOCK = "run.lock";

    /** The column of {@code metrics.csv} naming the stage (the mode) of a row. */
    public static final String MODE = "mode";
    /** The column naming the stage's phase (warm, refine, train). */
    public static final String PHASE = "phase";
    /** The column of the epoch, from 0 within each stage. */
    public static final String EPOCH = "epoch";
    /** The column of the epoch's wall-clock seconds. */
    public static final String SECONDS = "seconds";
    /** The column of the method's coefficient in the epoch (τ, λ or ρ; empty when there is none). */
    public static final String PENALTY_WEIGHT = "penalty_weight";
    /** The columns of {@code metrics.csv} before the experiment's metrics ({@code <split>_<metric>}). */
    public static final List<String> METRICS_LEADING = List.of(MODE, PHASE, EPOCH, SECONDS, PENALTY_WEIGHT);

    private RunFiles() {
    }

    /** The keys of {@code run.json}. */
    public static final class Key {
        public static final String RUN_ID = "runId";
        public static final String EXPERIMENT = "experiment";
        public static final String TITLE = "title";
        /** running, completed, failed, diverged. */
        public static final String STATUS = "status";
        public static final String START_TIME = "startTime";
        public static final String END_TIME = "endTime";
        public static final String GIT_COMMIT = "gitCommit";
        public static final String BACKEND = "backend";
        public static final String THREADS = "threads";
        public static final String VERSIONS = "versions";
        /** The experiment's configuration record, as written by the runner's JSON mapping of it. */
        public static final String CONFIG = "config";
        /** The stages, in the order they run. */
        public static final String MODES = "modes";
        public static final String SEEDS = "seeds";
        /** The SHA-256 of the data, checked on resume. */
        public static final String DATA_SHA256 = "dataSha256";
        /** Where the run departs from the paper or the reference, one sentence each. */
        public static final String DEVIATIONS = "deviations";
        /** How the report shows the run (splits, constraint, histograms, images, tables, kind). */
        public static final String REPORT = "report";
        /** Per mode: {@link #BEST_EPOCH}, {@link #SELECTED_BY}, {@link #LAST_EPOCH}, the weights' files. */
        public static final String RESULTS = "results";
        public static final String BEST_EPOCH = "bestEpoch";
        public static final String SELECTED_BY = "selectedBy";
        public static final String LAST_EPOCH = "lastEpoch";
        public static final String BEST_WEIGHTS = "bestWeights";
        public static final String LAST_WEIGHTS = "lastWeights";
        /** The times the run was resumed. */
        public static final String RESUMED_AT = "resumedAt";
        /** The continuations that changed the configuration (more epochs, moved data). */
        public static final String CONTINUED = "continued";
        /** The message of the error a failed run stopped with. */
        public static final String ERROR = "error";

        private Key() {
        }
    }
}
