package org.flowbench.compute.bench;

import org.flowbench.compute.device.cpu.CpuDevice;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What the machine gives at this moment, measured in the same run as the device benchmarks:
 * raw sgemm through ND4J (OpenBLAS) on off-heap arrays, the same shape as one hidden layer of the
 * MLP at batch 10k and width 256, and a plain memory copy ({@code System.arraycopy}) of the
 * LayerNorm benchmark's tensor, counting the bytes read plus the bytes written.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class BaselineBenchmark {

    @Param({"10000"})
    int m;

    @Param({"256"})
    int n;

    @Param({"256"})
    int k;

    @Param({"4194304"})
    int copyFloats;

    private INDArray a;
    private INDArray b;
    private INDArray c;
    private float[] src;
    private float[] dst;

    @Setup(Level.Trial)
    public void setUp() {
        CpuDevice.setOpenBlasThreads(Runtime.getRuntime().availableProcessors());
        Random random = new Random(4);
        a = Nd4j.create(DeviceMlpBenchmark.gaussian(random, m * k, 1), new long[] {m, k}, 'c');
        b = Nd4j.create(DeviceMlpBenchmark.gaussian(random, k * n, 1), new long[] {k, n}, 'c');
        c = Nd4j.createUninitialized(DataType.FLOAT, m, n);
        src = DeviceMlpBenchmark.gaussian(random, copyFloats, 1);
        dst = new float[copyFloats];
    }

    /** C = A B, {@code 2 m n k} FLOPs. */
    @Benchmark
    public INDArray sgemm() {
        return Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
    }

    /** {@code 8 copyFloats} bytes moved (read and written). */
    @Benchmark
    public float[] copy() {
        System.arraycopy(src, 0, dst, 0, copyFloats);
        return dst;
    }
}
