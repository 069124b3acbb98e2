package org.flowbench.compute.bench;

import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.gflownet.GfnTraining;
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
 * GFlowNet training steps per second on the cpu device in the acceptance setting (HyperGrid,
 * batch 16, 2 x 256 ReLU, Adam): each step samples 16 trajectories step by step through the
 * policy, evaluates the objective and makes one Adam update. 32k trajectories are 2000 steps, so
 * the acceptance run's training time is about 2000 / (steps per second).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class GfnTrainingBenchmark {

    @Param({"hypergrid:D=2,H=8"})
    String env;

    @Param({"tb", "db"})
    String loss;

    /** Threads of the cpu device; 0 means one per core. */
    @Param({"0"})
    int threads;

    private ComputeDevice device;
    private GfnTraining.Run run;

    @Setup(Level.Trial)
    public void setUp() {
        device = threads == 0 ? new CpuDevice() : new CpuDevice(threads);
        GfnTraining.Config config = new GfnTraining.Config(env, loss, new int[] {256, 256}, Activation.RELU, 16,
                GfnTraining.MAX_TRAJECTORIES, 1e-3, 0.1, 0, 1, 1, 0, 0, false, GfnTraining.MAX_TRAJECTORIES);
        run = new GfnTraining.Run(device, config);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        run.close();
        device.close();
    }

    @Benchmark
    public double trainingStep() {
        return run.step();
    }
}
