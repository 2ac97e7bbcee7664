package dev.constrained4j.runners.bench;

import dev.constrained4j.models.blas.DirectGemm;
import dev.constrained4j.runners.cli.Threads;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float matrix-multiply throughput of the OpenBLAS that ND4J loaded, through {@link DirectGemm} as the fused MNIST
 * engine calls it: square {@code n³} products (default 2048) and the MNIST-shaped {@code 128×784×256}, best of
 * several repetitions, in GFLOP/s ({@code 2·m·n·k} per product), and the file of the OpenBLAS library mapped into
 * the process (bundled with ND4J, or the system's when {@code bench/run.sh} asks for it).
 * Usage: {@code GemmBenchmark [threads] [n]}.
 */
public final class GemmBenchmark {

    private GemmBenchmark() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2048;
        Threads.apply(threads);
        double square = gflops(n, n, n, 4);
        double mnist = gflops(128, 784, 256, 200);
        System.out.println(String.format(Locale.ROOT,
                "{\"impl\":\"java-gemm\",\"threads\":%d,\"n\":%d,\"square_gflops\":%.2f,\"mnist_gflops\":%.2f,"
                        + "\"blas_library\":\"%s\"}",
                threads, n, square, mnist, ProcessStats.blasLibrary()));
    }

    private static double gflops(int m, int k, int n, int reps) {
        INDArray a = Nd4j.rand(DataType.FLOAT, m, k);
        INDArray b = Nd4j.rand(DataType.FLOAT, k, n);
        INDArray c = Nd4j.create(DataType.FLOAT, m, n);
        DirectGemm.gemm(a, false, b, false, c, 0f);
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                DirectGemm.gemm(a, false, b, false, c, 0f);
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e9 / reps);
        }
        return 2.0 * m * k * n / best / 1e9;
    }
}
