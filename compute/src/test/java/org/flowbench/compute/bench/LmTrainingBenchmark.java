package org.flowbench.compute.bench;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.lm.LmBatch;
import org.flowbench.compute.lm.LmConfig;
import org.flowbench.compute.lm.LmOptimizerConfig;
import org.flowbench.compute.lm.LmTrainer;
import org.flowbench.compute.lm.NormKind;
import org.flowbench.compute.lm.Placement;
import org.flowbench.compute.lm.TransformerLm;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One training step of the Transformer language model on the cpu device: 12 Pre-LN blocks of
 * width 128 with 4 heads, context 64, batch 16 sequences, a byte vocabulary (256), GELU, untied
 * head, AdamW (forward, backward, weight decay and update), at 1 and 2 threads (the cpu device's
 * loops and OpenBLAS alike). Beside it, at the same thread count and in the same run, ND4J's
 * sgemm of 10000 x 256 times 256 x 256 (the shape {@link BaselineBenchmark} uses), so the step's
 * FLOP rate ({@link #flopsPerStep}) can be read as a fraction of what the machine's gemm does at
 * that moment. {@code samples/norm/torch_lm_step.py} times the same model in PyTorch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 4)
@Fork(1)
public class LmTrainingBenchmark {

    static final int VOCAB = 256;
    static final int CONTEXT = 64;
    static final int WIDTH = 128;
    static final int HEADS = 4;
    static final int LAYERS = 12;
    static final int BATCH = 16;
    static final int GEMM_M = 10000;
    static final int GEMM_K = 256;
    static final int GEMM_N = 256;

    @Param({"1", "2"})
    int threads;

    private ComputeDevice device;
    private TransformerLm model;
    private LmTrainer trainer;
    private LmBatch batch;
    private INDArray a;
    private INDArray b;
    private INDArray c;

    static LmConfig config() {
        return new LmConfig(VOCAB, CONTEXT, WIDTH, HEADS, LAYERS, Placement.PRE, NormKind.LAYER, false, false,
                LmConfig.Init.GPT2, 1f, Activation.GELU);
    }

    /**
     * FLOPs of one step's matrix products (2 per multiply-add), forward and backward (the
     * backward of a product costs two products): per block the qkv, output, fc and proj layers
     * and the two attention products over the full seq x seq scores of every head (the causal
     * mask is applied after the product, as in the model), then the head. Element-wise work
     * (norms, softmax, GELU, AdamW) is not counted.
     */
    static double flopsPerStep(int vocab, int seq, int width, int layers, int batch) {
        double tokens = (double) batch * seq;
        double dense = 2 * tokens * ((double) layers * (3.0 * width * width + width * width + 2 * 4.0 * width * width)
                + (double) width * vocab);
        double attention = 2 * (double) layers * batch * 2.0 * seq * seq * width;
        return 3 * (dense + attention);
    }

    static double flopsPerStep() {
        return flopsPerStep(VOCAB, CONTEXT, WIDTH, LAYERS, BATCH);
    }

    @Setup(Level.Trial)
    public void setUp() {
        CpuDevice.setOpenBlasThreads(threads);
        device = new CpuDevice(threads);
        model = new TransformerLm(device, config(), 1);
        trainer = new LmTrainer(model, LmOptimizerConfig.adamW(1e-3f, 10, 1_000_000));
        SeededRandom rnd = new SeededRandom(2);
        int[] tokens = new int[BATCH * CONTEXT];
        int[] targets = new int[BATCH * CONTEXT];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rnd.nextInt(VOCAB);
            targets[i] = rnd.nextInt(VOCAB);
        }
        batch = new LmBatch(tokens, targets, BATCH, CONTEXT);
        Random random = new Random(4);
        a = Nd4j.create(DeviceMlpBenchmark.gaussian(random, GEMM_M * GEMM_K, 1), new long[] {GEMM_M, GEMM_K}, 'c');
        b = Nd4j.create(DeviceMlpBenchmark.gaussian(random, GEMM_K * GEMM_N, 1), new long[] {GEMM_K, GEMM_N}, 'c');
        c = Nd4j.createUninitialized(DataType.FLOAT, GEMM_M, GEMM_N);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
        model.close();
        device.close();
    }

    /** Forward, backward, weight decay and AdamW update on one batch of 16 x 64 tokens. */
    @Benchmark
    public double trainingStep() {
        return trainer.step(batch, null);
    }

    /** The same-run baseline: {@code 2 m n k} FLOPs at this benchmark's thread count. */
    @Benchmark
    public INDArray sgemm() {
        return Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
    }
}
