package org.flowbench.compute.bench;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.ComputeDevices;
import org.flowbench.compute.device.DeviceBuffer;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * LayerNorm forward and backward over {@code rows x cols} on a compute device, gamma and beta
 * included. Bytes counted once per array read or written: forward reads x and writes y
 * ({@code 8 rows cols} bytes, plus the small gamma, beta, mean, rstd); backward reads x and dy and
 * writes dx ({@code 12 rows cols} bytes, plus the small ones).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class DeviceNormBenchmark {

    @Param({"cpu"})
    String device;

    @Param({"4096"})
    int rows;

    @Param({"1024"})
    int cols;

    private ComputeDevice d;
    private DeviceBuffer x;
    private DeviceBuffer gamma;
    private DeviceBuffer beta;
    private DeviceBuffer y;
    private DeviceBuffer mean;
    private DeviceBuffer rstd;
    private DeviceBuffer dy;
    private DeviceBuffer dx;
    private DeviceBuffer dgamma;
    private DeviceBuffer dbeta;

    static long forwardBytes(int rows, int cols) {
        return 4L * (2L * rows * cols + 2L * cols + 2L * rows);
    }

    static long backwardBytes(int rows, int cols) {
        return 4L * (3L * rows * cols + 3L * cols + 2L * rows);
    }

    @Setup(Level.Trial)
    public void setUp() {
        d = ComputeDevices.open(device);
        Random random = new Random(3);
        x = d.upload(DeviceMlpBenchmark.gaussian(random, rows * cols, 2));
        gamma = d.upload(DeviceMlpBenchmark.gaussian(random, cols, 0.1));
        beta = d.upload(DeviceMlpBenchmark.gaussian(random, cols, 0.1));
        y = d.allocate(rows * cols);
        mean = d.allocate(rows);
        rstd = d.allocate(rows);
        dy = d.upload(DeviceMlpBenchmark.gaussian(random, rows * cols, 1));
        dx = d.allocate(rows * cols);
        dgamma = d.allocate(cols);
        dbeta = d.allocate(cols);
        d.layerNormForward(x, gamma, beta, y, mean, rstd, rows, cols, 1e-5f);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        d.close();
    }

    @Benchmark
    public DeviceBuffer layerNormForward() {
        d.layerNormForward(x, gamma, beta, y, mean, rstd, rows, cols, 1e-5f);
        d.finish();
        return y;
    }

    @Benchmark
    public DeviceBuffer layerNormBackward() {
        d.layerNormBackward(x, gamma, mean, rstd, dy, dx, dgamma, dbeta, rows, cols);
        d.finish();
        return dx;
    }
}
