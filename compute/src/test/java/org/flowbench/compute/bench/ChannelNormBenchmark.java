package org.flowbench.compute.bench;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.ComputeDevices;
import org.flowbench.compute.device.DeviceBuffer;
import org.flowbench.compute.norm.BatchNorm;
import org.flowbench.compute.norm.GroupNorm;
import org.flowbench.compute.norm.NormLayer;
import org.flowbench.compute.norm.PowerNorm;
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
 * Batch-style normalization layers (BatchNorm, GroupNorm, PowerNorm without group scaling) in
 * training mode, forward and backward, over {@code batch x channels x spatial} floats, the same
 * 4M floats as the copy baseline by default. Bytes are counted as for LayerNorm: the least a layer
 * must move, forward reading x and writing y ({@code 8 n} bytes), backward reading x and dy and
 * writing dx ({@code 12 n} bytes); the per-channel vectors are negligible. BatchNorm and PowerNorm
 * read x twice forward and twice backward (statistics, then the element-wise pass), so their
 * ceiling is about half the copy rate.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ChannelNormBenchmark {

    @Param({"cpu"})
    String device;

    @Param({"batch", "group", "power"})
    String layer;

    @Param({"64"})
    int batch;

    @Param({"64"})
    int channels;

    @Param({"1024"})
    int spatial;

    private ComputeDevice d;
    private NormLayer norm;
    private DeviceBuffer x;
    private DeviceBuffer y;
    private DeviceBuffer dy;
    private DeviceBuffer dx;

    static long forwardBytes(int batch, int channels, int spatial) {
        return 8L * batch * channels * spatial;
    }

    static long backwardBytes(int batch, int channels, int spatial) {
        return 12L * batch * channels * spatial;
    }

    @Setup(Level.Trial)
    public void setUp() {
        d = ComputeDevices.open(device);
        norm = switch (layer) {
            case "batch" -> new BatchNorm(d, channels);
            case "group" -> new GroupNorm(d, channels, channels % 32 == 0 ? 32 : 1, 1e-5);
            case "power" -> new PowerNorm(d, channels, 1e-5, 0.9, 0.9, 0, 0);
            default -> throw new IllegalArgumentException("unknown layer " + layer);
        };
        Random random = new Random(5);
        int n = batch * channels * spatial;
        x = d.upload(DeviceMlpBenchmark.gaussian(random, n, 2));
        dy = d.upload(DeviceMlpBenchmark.gaussian(random, n, 1));
        y = d.allocate(n);
        dx = d.allocate(n);
        norm.forward(x, y, batch, spatial);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        norm.close();
        d.close();
    }

    @Benchmark
    public DeviceBuffer forward() {
        norm.forward(x, y, batch, spatial);
        d.finish();
        return y;
    }

    @Benchmark
    public DeviceBuffer backward() {
        norm.backward(x, dy, dx, batch, spatial);
        d.finish();
        return dx;
    }
}
