package dev.constrained4j.runners.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.runners.mnist.MnistConfig;
import dev.constrained4j.runners.mnist.MnistMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two partitions on a two-worker {@code local-cluster} (a standalone master and two workers in this JVM, each
 * launching an executor JVM of its own, started by the test without a Spark distribution) give the numbers of the same
 * two partitions as tasks of one thread ({@code local[1]}): the partitions' computations are functions of their data
 * and the broadcast model alone, and the driver combines them in partition order.
 */
class SparkMnistClusterTest {

    @TempDir
    Path tmp;

    @Test
    void twoExecutorJvmsGiveTheNumbersOfOneThread() throws Exception {
        // what is compared is equality, not accuracy: a small run (1,000 images, 1 + 2 epochs) does
        MnistConfig config = SparkRuns.config(List.of(MnistMode.ALM), tmp.resolve("cluster"), tmp.resolve("cluster-warm"),
                1000, 200, 2);
        Path cluster = new SparkMnistExperiment(List.of(), null)
                .run(config, SparkConfig.of("local-cluster[2,1,1024]", null, null)).runDir();
        Path oneThread = new SparkMnistExperiment(List.of(), null).run(
                config.withOutDir(tmp.resolve("thread"), tmp.resolve("thread-warm")),
                SparkConfig.of("local[1]", 2, null)).runDir();

        assertEquals(SparkRuns.rows(oneThread), SparkRuns.rows(cluster));
        // the executors were JVMs of their own: their logs were moved into the run
        try (var logs = Files.list(cluster.resolve(SparkMnistExperiment.LOGS))) {
            assertEquals(2, logs.filter(p -> p.toString().endsWith(".stderr")).count());
        }
        assertTrue(!Files.exists(Path.of("work")) || Files.list(Path.of("work")).findAny().isPresent(),
                "the workers' folder is removed when the test made it");
    }
}
