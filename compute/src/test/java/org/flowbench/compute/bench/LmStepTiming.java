package org.flowbench.compute.bench;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.lm.LmBatch;
import org.flowbench.compute.lm.LmOptimizerConfig;
import org.flowbench.compute.lm.LmTrainer;
import org.flowbench.compute.lm.TransformerLm;

import java.util.Arrays;
import java.util.Locale;

/**
 * The training step of {@link LmTrainingBenchmark}'s model timed the way
 * {@code samples/norm/torch_lm_step.py} times PyTorch's (warm-up steps, then the median and the
 * fastest of the timed steps), so the two can be run one after the other on a shared machine
 * and compared by the same statistics. JMH's benchmark is the reference measurement; this is
 * the side-by-side one.
 *
 * <p>Arguments: thread counts (comma-separated, default 1,2), timed steps (default 20), warm-up
 * steps (default 5).
 */
public final class LmStepTiming {

    private LmStepTiming() {
    }

    public static void main(String[] args) {
        String[] threads = (args.length > 0 ? args[0] : "1,2").split(",");
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        double flops = LmTrainingBenchmark.flopsPerStep();
        System.out.printf(Locale.ROOT, "Flowbench cpu device, %.2f GFLOP a step (matrix products)%n", flops / 1e9);
        System.out.printf(Locale.ROOT, "%7s %9s %9s %8s%n", "threads", "step ms", "min ms", "GFLOP/s");
        for (String t : threads) {
            int n = Integer.parseInt(t.strip());
            CpuDevice.setOpenBlasThreads(n);
            try (CpuDevice device = new CpuDevice(n);
                 TransformerLm model = new TransformerLm(device, LmTrainingBenchmark.config(), 1);
                 LmTrainer trainer = new LmTrainer(model, LmOptimizerConfig.adamW(1e-3f, 10, 1_000_000))) {
                SeededRandom rnd = new SeededRandom(2);
                int tokens = LmTrainingBenchmark.BATCH * LmTrainingBenchmark.CONTEXT;
                int[] ids = new int[tokens];
                int[] targets = new int[tokens];
                for (int i = 0; i < tokens; i++) {
                    ids[i] = rnd.nextInt(LmTrainingBenchmark.VOCAB);
                    targets[i] = rnd.nextInt(LmTrainingBenchmark.VOCAB);
                }
                LmBatch batch = new LmBatch(ids, targets, LmTrainingBenchmark.BATCH, LmTrainingBenchmark.CONTEXT);
                for (int i = 0; i < warmup; i++) {
                    trainer.step(batch, null);
                }
                double[] ms = new double[repeats];
                for (int i = 0; i < repeats; i++) {
                    long t0 = System.nanoTime();
                    trainer.step(batch, null);
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(ms);
                double median = repeats % 2 == 1 ? ms[repeats / 2] : (ms[repeats / 2 - 1] + ms[repeats / 2]) / 2;
                System.out.printf(Locale.ROOT, "%7d %9.1f %9.1f %8.1f%n", n, median, ms[0], flops / (median * 1e6));
            }
        }
    }
}
