package org.flowbench.compute.bench;

import org.flowbench.compute.device.Activation;
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
 * One full Euler sampling loop, device-resident: {@code particles} points in the plane, a velocity
 * MLP of input [x, t], three hidden layers of {@code width} and 2 outputs, {@code steps} steps of
 * {@code x <- x + h v(x, t)}. Weights and particles are uploaded once in setup; each step builds
 * the [x, t] input, runs the network and updates x without leaving the device, and only the
 * final frame is downloaded.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class DeviceSamplingBenchmark {

    @Param({"cpu"})
    String device;

    @Param({"10000"})
    int particles;

    @Param({"100"})
    int steps;

    @Param({"128"})
    int width;

    private ComputeDevice d;
    private int[] dims;
    private DeviceBuffer[] weights;
    private DeviceBuffer[] biases;
    private DeviceBuffer[] activations;
    private DeviceBuffer x;
    private float[] start;
    private float[] frame;

    /** Multiply-adds times two, per particle and step. */
    static long flopsPerParticleStep(int width) {
        return 2L * (3L * width + 2L * width * width + 2L * width);
    }

    @Setup(Level.Trial)
    public void setUp() {
        d = ComputeDevices.open(device);
        dims = new int[] {3, width, width, width, 2};
        Random random = new Random(2);
        weights = new DeviceBuffer[4];
        biases = new DeviceBuffer[4];
        activations = new DeviceBuffer[5];
        activations[0] = d.allocate(particles * 3);
        for (int l = 0; l < 4; l++) {
            weights[l] = d.upload(DeviceMlpBenchmark.gaussian(random, dims[l] * dims[l + 1], 1 / Math.sqrt(dims[l])));
            biases[l] = d.upload(DeviceMlpBenchmark.gaussian(random, dims[l + 1], 0.1));
            activations[l + 1] = d.allocate(particles * dims[l + 1]);
        }
        start = DeviceMlpBenchmark.gaussian(random, particles * 2, 1);
        x = d.upload(start);
        frame = new float[particles * 2];
        // The first call loads ND4J's natives; keep that out of the measurement.
        d.denseForward(activations[1], weights[1], biases[1], activations[2], particles, width, width);
    }

    @Setup(Level.Invocation)
    public void resetParticles() {
        d.upload(start, x);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        d.close();
    }

    /** The loop, then the final frame downloaded. */
    @Benchmark
    public float[] eulerLoop() {
        float h = 1f / steps;
        for (int s = 0; s < steps; s++) {
            d.fill(activations[0], s * h);
            d.copyColumns(x, 2, 0, activations[0], 3, 0, particles, 2);
            DeviceBuffer v = DeviceMlpBenchmark.mlpForward(d, weights, biases, activations, Activation.SELU, particles,
                    dims);
            d.eulerStep(x, v, h, x);
        }
        d.download(x, frame);
        return frame;
    }
}
