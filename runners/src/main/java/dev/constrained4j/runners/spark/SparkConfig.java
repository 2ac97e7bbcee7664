package dev.constrained4j.runners.spark;

import static dev.constrained4j.runners.run.Checks.atLeast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.constrained4j.runners.run.RecordJson;
import dev.constrained4j.runners.run.RunFolder;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a run is spread over Spark (docs/scale-out.md), validated: the master, the number of partitions of the training
 * and test sets (one model replica per training partition), and how many minibatch steps every replica takes between
 * two averages of the replicas' parameters and Adam moments.
 *
 * @param master          {@code local}, {@code local[N]}, {@code local-cluster[WORKERS,CORES,MEGABYTES]} (a
 *                        standalone cluster of separate executor JVMs on this machine, started by Spark) or
 *                        {@code spark://HOST:PORT}
 * @param partitions      partitions of the data, one replica each
 * @param averagingPeriod k: local steps of every replica between two averages (one Spark job per k steps)
 */
public record SparkConfig(String master, int partitions, int averagingPeriod) {

    /** The averaging period of {@code --spark-average-every} when it is not given. */
    public static final int DEFAULT_AVERAGING_PERIOD = 8;

    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\d+|\\*)])?");
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[(\\d+),\\s*(\\d+),\\s*(\\d+)]");
    private static final Pattern STANDALONE = Pattern.compile("spark://[^\\s/]+:\\d+(,[^\\s/]+:\\d+)*");

    public SparkConfig {
        requireMaster(master);
        atLeast("partitions", partitions, 1);
        atLeast("averagingPeriod", averagingPeriod, 1);
    }

    /**
     * A configuration whose number of partitions is that of the master's executor cores when {@code partitions} is
     * null (local[N]: N; local-cluster[W,C,M]: W·C).
     *
     * @throws IllegalArgumentException for a spark:// master without a number of partitions
     */
    public static SparkConfig of(String master, Integer partitions, Integer averagingPeriod) {
        int k = averagingPeriod == null ? DEFAULT_AVERAGING_PERIOD : averagingPeriod;
        if (partitions != null) {
            return new SparkConfig(master, partitions, k);
        }
        requireMaster(master);
        int cores = cores(master);
        if (cores < 1) {
            throw new IllegalArgumentException("with --spark " + master + " give the number of partitions"
                    + " (--spark-partitions N): the cores of a standalone cluster are not known in advance");
        }
        return new SparkConfig(master, cores, k);
    }

    private static void requireMaster(String master) {
        Objects.requireNonNull(master, "master");
        if (!LOCAL.matcher(master).matches() && !LOCAL_CLUSTER.matcher(master).matches()
                && !STANDALONE.matcher(master).matches()) {
            throw new IllegalArgumentException("master must be local[N], local-cluster[WORKERS,CORES,MEGABYTES] or"
                    + " spark://HOST:PORT, got '" + master + "'");
        }
    }

    /** The executor cores a master URL names (0 when it does not: spark://). */
    static int cores(String master) {
        Matcher local = LOCAL.matcher(master);
        if (local.matches()) {
            String n = local.group(2);
            return n == null ? 1 : n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
        }
        Matcher cluster = LOCAL_CLUSTER.matcher(master);
        if (cluster.matches()) {
            return Integer.parseInt(cluster.group(1)) * Integer.parseInt(cluster.group(2));
        }
        return 0;
    }

    /** Whether executors run in JVMs of their own (local-cluster, spark://), not as threads of this one. */
    public boolean separateExecutors() {
        return !LOCAL.matcher(master).matches();
    }

    /** Whether Spark starts the cluster itself, on this machine (local-cluster). */
    boolean localCluster() {
        return LOCAL_CLUSTER.matcher(master).matches();
    }

    /**
     * The {@code spark} block of {@code run.json}: this configuration ({@code config}), how the replicas are combined,
     * and Spark's version.
     */
    public ObjectNode toJson() {
        ObjectNode o = RunFolder.JSON.createObjectNode();
        o.set("config", RecordJson.toJson(this));
        o.put("averaging", "synchronous parameter averaging: weights and Adam moments, weighted by the samples each"
                + " replica trained on, every averagingPeriod local steps and at the end of every epoch");
        o.put("sparkVersion", org.apache.spark.package$.MODULE$.SPARK_VERSION());
        return o;
    }

    /** Reads the configuration of a {@code spark} block written by {@link #toJson}. */
    public static SparkConfig fromJson(JsonNode block) {
        return RecordJson.fromJson(block.path("config"), SparkConfig.class);
    }

    /** This configuration on another master (a resumed run may move; partitions and period stay). */
    public SparkConfig withMaster(String other) {
        return new SparkConfig(other, partitions, averagingPeriod);
    }
}
