package org.flowbench.compute.bench;

import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.nn.MlpArchitecture;
import org.flowbench.compute.nn.VelocityMlp;
import org.flowbench.compute.train.ConditionalPath;
import org.flowbench.compute.train.FlowMatchingTrainer;
import org.flowbench.compute.train.Loss;
import org.flowbench.compute.train.OptimizerConfig;
import org.flowbench.compute.train.PairBatches;
import org.flowbench.compute.train.TimestepDistribution;
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

import java.util.concurrent.TimeUnit;

/**
 * Flow-matching training steps per second on the cpu device (batch 256, 3 x 128 SELU MLP,
 * N(0, I) to moons, straight path, AdamW), next to the sgemm of one hidden layer's forward
 * product (256 x 128 times 128 x 128) measured in the same run, so the step rate can be read
 * against what the machine's gemm does at the moment.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TrainingBenchmark {

    @Param({"256"})
    int batch;

    @Param({"128"})
    int width;

    /** Threads of the cpu device; 0 means one per core. */
    @Param({"0"})
    int threads;

    private ComputeDevice device;
    private VelocityMlp model;
    private FlowMatchingTrainer.Run run;
    private DeviceBuffer x;
    private DeviceBuffer w;
    private DeviceBuffer y;

    @Setup(Level.Trial)
    public void setUp() {
        device = threads == 0 ? new CpuDevice() : new CpuDevice(threads);
        model = VelocityMlp.create(device, MlpArchitecture.plane(new int[] {width, width, width}, Activation.SELU), 1);
        PairBatches pairs = (random, n, x0, x1) -> {
            System.arraycopy(Datasets.NORMAL.sample(n, random.nextLong()), 0, x0, 0, 2 * n);
            System.arraycopy(Datasets.MOONS.sample(n, random.nextLong()), 0, x1, 0, 2 * n);
        };
        FlowMatchingTrainer.Settings settings = new FlowMatchingTrainer.Settings(FlowMatchingTrainer.Settings.MAX_STEPS, batch,
                OptimizerConfig.adamW(1e-3), TimestepDistribution.parse("uniform"), Loss.parse("l2"), 0, 1);
        run = new FlowMatchingTrainer(model, pairs, ConditionalPath.STRAIGHT, settings).start();
        x = device.upload(new float[batch * width]);
        float[] weights = new float[width * width];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) Math.sin(i) / width;
        }
        w = device.upload(weights);
        y = device.allocate(batch * width);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        run.close();
        model.close();
        device.close();
    }

    /**
     * Multiply-add flops of one step's dense layers: the forward product, the input gradients of
     * every layer but the first, and every weight gradient (2 flops per multiply-add).
     */
    static double flopsPerStep(int width, int batch) {
        MlpArchitecture a = MlpArchitecture.plane(new int[] {width, width, width}, Activation.SELU);
        double macs = 0;
        for (int l = 0; l < a.layers(); l++) {
            double layer = (double) a.fanIn(l) * a.fanOut(l);
            macs += l == 0 ? 2 * layer : 3 * layer;
        }
        return 2 * macs * batch;
    }

    /** One training step: minibatch, forward, loss, backward, AdamW update. */
    @Benchmark
    public double trainingStep() {
        return run.step();
    }

    /** The hidden layer's forward product alone: batch x width times width x width. */
    @Benchmark
    public DeviceBuffer hiddenLayerGemm() {
        device.denseForward(x, w, null, y, batch, width, width);
        return y;
    }
}
