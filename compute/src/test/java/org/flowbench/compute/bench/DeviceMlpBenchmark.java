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
 * MLP forward on a compute device: 2 inputs, three hidden layers of {@code width}, 2 outputs,
 * bias and activation after every hidden layer, for a batch of particles kept on the device.
 * FLOPs per particle: {@code 2 * (2 w + w^2 + w^2 + 2 w)} (two per multiply-add).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class DeviceMlpBenchmark {

    @Param({"cpu"})
    String device;

    @Param({"128", "256"})
    int width;

    @Param({"1000", "10000", "100000"})
    int batch;

    @Param({"SELU"})
    String activation;

    private ComputeDevice d;
    private Activation f;
    private int[] dims;
    private DeviceBuffer[] weights;
    private DeviceBuffer[] biases;
    private DeviceBuffer[] activations;

    /** Multiply-adds times two, per particle. */
    static long flopsPerParticle(int width) {
        return 2L * (2L * width + 2L * width * width + 2L * width);
    }

    @Setup(Level.Trial)
    public void setUp() {
        d = ComputeDevices.open(device);
        f = Activation.parse(activation);
        dims = new int[] {2, width, width, width, 2};
        Random random = new Random(1);
        weights = new DeviceBuffer[4];
        biases = new DeviceBuffer[4];
        activations = new DeviceBuffer[5];
        activations[0] = d.upload(gaussian(random, batch * 2, 1));
        for (int l = 0; l < 4; l++) {
            weights[l] = d.upload(gaussian(random, dims[l] * dims[l + 1], 1 / Math.sqrt(dims[l])));
            biases[l] = d.upload(gaussian(random, dims[l + 1], 0.1));
            activations[l + 1] = d.allocate(batch * dims[l + 1]);
        }
        // The first call loads ND4J's natives; keep that out of the measurement.
        forward();
    }

    static float[] gaussian(Random random, int n, double sigma) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (sigma * random.nextGaussian());
        }
        return a;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        d.close();
    }

    /** One forward pass of the whole batch; the velocities stay on the device. */
    @Benchmark
    public DeviceBuffer forward() {
        DeviceBuffer out = mlpForward(d, weights, biases, activations, f, batch, dims);
        // The OpenCL device queues its kernels: time them to the end.
        d.finish();
        return out;
    }

    /**
     * The MLP on {@code rows} rows already in {@code activations[0]}: each hidden layer with its
     * activation {@code f} in one call, the output layer linear; returns the output buffer.
     */
    static DeviceBuffer mlpForward(ComputeDevice d, DeviceBuffer[] weights, DeviceBuffer[] biases,
                                   DeviceBuffer[] activations, Activation f, int rows, int[] dims) {
        int layers = weights.length;
        for (int l = 0; l < layers; l++) {
            if (l < layers - 1) {
                d.denseForward(activations[l], weights[l], biases[l], f, null, activations[l + 1], rows, dims[l],
                        dims[l + 1]);
            } else {
                d.denseForward(activations[l], weights[l], biases[l], activations[l + 1], rows, dims[l], dims[l + 1]);
            }
        }
        return activations[layers];
    }
}
