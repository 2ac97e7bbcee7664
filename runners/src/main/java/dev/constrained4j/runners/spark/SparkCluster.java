package dev.constrained4j.runners.spark;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Spark context for one run, set up for this project: every endpoint bound to the loopback address when the master
 * is on this machine, no web UI of the application, the executors' JVMs (local-cluster, spark://) given this JVM's
 * class path, Spark's Java 17 module options, one ND4J/OpenMP thread per task, and, for local-cluster, no Spark
 * distribution: the workers that Spark starts in this JVM launch the executors from the class path alone (docs/
 * scale-out.md, "local-cluster without a Spark distribution"). Closing it stops the context and moves the executors'
 * logs that local-cluster leaves in {@code ./work} into the run folder.
 */
public final class SparkCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SparkCluster.class);
    private static final String LOOPBACK = "127.0.0.1";
    /** Where local-cluster's workers put the executors' folders: {@code $SPARK_HOME/work}, SPARK_HOME unset: "." */
    private static final Path WORKER_DIR = Path.of("work");

    private final JavaSparkContext context;
    private final SparkConfig config;
    private final boolean workerDirExisted;
    /** False for a {@link #with} view, which does not stop the context. */
    private final boolean owner;

    private SparkCluster(JavaSparkContext context, SparkConfig config, boolean workerDirExisted, boolean owner) {
        this.context = context;
        this.config = config;
        this.workerDirExisted = workerDirExisted;
        this.owner = owner;
    }

    /**
     * Starts a context on {@code config.master()}.
     *
     * @param threads ND4J/OpenMP threads of every task
     * @throws IllegalStateException if this JVM lacks the module options Spark needs, naming the fix
     */
    public static SparkCluster start(SparkConfig config, String appName, int threads) {
        requireModuleOptions();
        boolean onThisMachine = !config.master().startsWith("spark://");
        if (onThisMachine) {
            // this machine's name may resolve to a non-loopback interface; nothing here needs the network (before
            // SparkConf, whose defaults would look the address up)
            org.apache.spark.util.Utils.setCustomHostname(LOOPBACK);
        }
        SparkConf conf = new SparkConf()
                .setMaster(config.master())
                .setAppName(appName)
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                // a task's result (one replica: the weights and Adam's moments, ~5 MB) goes back whole
                .set("spark.driver.maxResultSize", "0")
                .set("spark.executorEnv.OMP_NUM_THREADS", Integer.toString(threads))
                .set("spark.executor.extraJavaOptions", "--add-modules=jdk.incubator.vector");
        if (onThisMachine) {
            conf.set("spark.driver.host", LOOPBACK)
                    .set("spark.driver.bindAddress", LOOPBACK)
                    .set("spark.executorEnv.SPARK_LOCAL_IP", LOOPBACK);
        }
        if (config.separateExecutors()) {
            conf.set("spark.executor.extraClassPath", classPath());
        }
        if (config.localCluster()) {
            // the workers' launcher looks for $SPARK_HOME/jars unless it is told it runs from a build (SPARK_TESTING),
            // and for the Scala version of that build; the executors' class path is this JVM's, above
            conf.set("spark.executorEnv.SPARK_TESTING", "1")
                    .set("spark.executorEnv.SPARK_SCALA_VERSION", scala.util.Properties.versionNumberString()
                            .replaceAll("^(\\d+\\.\\d+).*", "$1"));
        }
        boolean workerDir = Files.isDirectory(WORKER_DIR);
        long start = System.nanoTime();
        JavaSparkContext context = new JavaSparkContext(conf);
        LOG.info("Spark {} on {}: {} partitions, parameters averaged every {} steps ({} ms to start)",
                context.version(), config.master(), config.partitions(), config.averagingPeriod(),
                (System.nanoTime() - start) / 1_000_000);
        return new SparkCluster(context, config, workerDir, true);
    }

    /**
     * This context with another number of partitions or averaging period, for more runs on the same context (tests);
     * closing the view stops nothing.
     */
    SparkCluster with(SparkConfig other) {
        if (!other.master().equals(config.master())) {
            throw new IllegalArgumentException("a view of a context on " + config.master() + " cannot be on "
                    + other.master());
        }
        return new SparkCluster(context, other, workerDirExisted, false);
    }

    /** The context. */
    public JavaSparkContext context() {
        return context;
    }

    /** The configuration it was started with. */
    public SparkConfig config() {
        return config;
    }

    /** Stops the context; without a run folder the executors' logs of local-cluster are deleted. */
    @Override
    public void close() {
        close(null);
    }

    /** Stops the context and moves the logs of local-cluster's executors into {@code logDir}. */
    public void close(Path logDir) {
        if (!owner) {
            return;
        }
        String app = context.sc().applicationId();
        context.stop();
        if (!config.localCluster()) {
            return;
        }
        Path appDir = WORKER_DIR.resolve(app);
        try {
            if (Files.isDirectory(appDir)) {
                if (logDir != null) {
                    Files.createDirectories(logDir);
                    try (Stream<Path> executors = Files.list(appDir)) {
                        for (Path e : (Iterable<Path>) executors::iterator) {
                            for (String log : new String[]{"stdout", "stderr"}) {
                                Path f = e.resolve(log);
                                if (Files.isRegularFile(f)) {
                                    Files.copy(f, logDir.resolve("executor-" + e.getFileName() + "." + log),
                                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                                }
                            }
                        }
                    }
                }
                deleteTree(appDir);
            }
            if (!workerDirExisted && Files.isDirectory(WORKER_DIR)) {
                try (Stream<Path> left = Files.list(WORKER_DIR)) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(WORKER_DIR);
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("could not tidy the executors' folder {}: {}", appDir, e.getMessage());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * This JVM's class path as absolute entries: the context class loader's URLs (exec:java's project class path)
     * and {@code java.class.path} (a test's, where Surefire's manifest jar names the rest).
     */
    static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader l = Thread.currentThread().getContextClassLoader(); l != null; l = l.getParent()) {
            if (l instanceof URLClassLoader urls) {
                for (URL u : urls.getURLs()) {
                    try {
                        entries.add(Path.of(u.toURI()).toAbsolutePath().toString());
                    } catch (URISyntaxException | IllegalArgumentException e) {
                        // not a file: the executors cannot use it
                    }
                }
            }
        }
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                entries.add(Path.of(e).toAbsolutePath().toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Spark's off-heap memory and serialisers need java.base's internals opened to them (Spark's JavaModuleOptions). */
    private static void requireModuleOptions() {
        Module unnamed = SparkCluster.class.getClassLoader().getUnnamedModule();
        for (String pkg : new String[]{"java.nio", "sun.nio.ch", "java.lang.invoke", "java.util"}) {
            if (!Object.class.getModule().isOpen(pkg, unnamed)) {
                throw new IllegalStateException("Spark needs --add-opens=java.base/" + pkg + "=ALL-UNNAMED (and the"
                        + " other options of docs/scale-out.md, \"Java 17\"): .mvn/jvm.config has them for exec:java;"
                        + " elsewhere add them to the java command line");
            }
        }
    }
}
