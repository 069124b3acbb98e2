package org.flowbench.compute.bench;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.lm.AttentionKind;
import org.flowbench.compute.lm.LmBatch;
import org.flowbench.compute.lm.LmConfig;
import org.flowbench.compute.lm.LmOptimizerConfig;
import org.flowbench.compute.lm.LmTrainer;
import org.flowbench.compute.lm.NormKind;
import org.flowbench.compute.lm.Placement;
import org.flowbench.compute.lm.TransformerLm;
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
 * Softmax against Flowformer's flow attention as the context grows: a training step of a small
 * model (2 Pre-LN blocks, width 64, 2 heads) on the cpu device with the number of tokens a step
 * held at 4,096 (batch = 4096 / context), so the dense layers cost the same at every context and
 * what changes is attention: softmax's scores grow with the context (a step costs about
 * context x tokens), flow attention's running sums do not (about tokens).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 2, time = 2)
@Fork(1)
public class AttentionScalingBenchmark {

    static final int TOKENS = 4096;

    @Param({"softmax", "flow"})
    String attention;

    @Param({"64", "256", "1024"})
    int context;

    @Param({"2"})
    int threads;

    private ComputeDevice device;
    private TransformerLm model;
    private LmTrainer trainer;
    private LmBatch batch;

    @Setup(Level.Trial)
    public void setUp() {
        CpuDevice.setOpenBlasThreads(threads);
        device = new CpuDevice(threads);
        LmConfig config = new LmConfig(256, context, 64, 2, 2, Placement.PRE, NormKind.LAYER, false, false,
                LmConfig.Init.GPT2, 1f, Activation.GELU)
                .withAttention(attention.equals("flow") ? AttentionKind.FLOW : AttentionKind.SOFTMAX);
        model = new TransformerLm(device, config, 1);
        trainer = new LmTrainer(model, LmOptimizerConfig.adamW(1e-3f, 10, 1_000_000));
        int rows = TOKENS / context;
        SeededRandom rnd = new SeededRandom(3);
        int[] tokens = new int[TOKENS];
        int[] targets = new int[TOKENS];
        for (int i = 0; i < TOKENS; i++) {
            tokens[i] = rnd.nextInt(256);
            targets[i] = rnd.nextInt(256);
        }
        batch = new LmBatch(tokens, targets, rows, context);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
        model.close();
        device.close();
    }

    /** Forward, backward and AdamW update on 4,096 tokens. */
    @Benchmark
    public double trainingStep() {
        return trainer.step(batch, null);
    }
}
