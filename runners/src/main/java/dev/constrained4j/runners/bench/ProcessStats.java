package dev.constrained4j.runners.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory and JVM age of this process, from {@code /proc/self/status} and the runtime bean. */
final class ProcessStats {

    private ProcessStats() {
    }

    /** Peak resident set size (VmHWM) in MiB, or NaN where {@code /proc} is not available. */
    static double peakRssMb() {
        return statusKb("VmHWM:") / 1024.0;
    }

    /** Current resident set size (VmRSS) in MiB, or NaN. */
    static double rssMb() {
        return statusKb("VmRSS:") / 1024.0;
    }

    private static double statusKb(String key) {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return Double.NaN;
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(key)) {
                    return Double.parseDouble(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
            return Double.NaN;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Seconds since the JVM started. */
    static double secondsSinceStart() {
        return (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
    }

    /** The OpenBLAS library files mapped into this process ({@code /proc/self/maps}), or "unknown". */
    static String blasLibrary() {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .map(line -> line.substring(line.lastIndexOf(' ') + 1))
                    .filter(file -> file.substring(file.lastIndexOf('/') + 1).startsWith("libopenblas"))
                    .distinct().reduce((a, b) -> a + " " + b).orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
