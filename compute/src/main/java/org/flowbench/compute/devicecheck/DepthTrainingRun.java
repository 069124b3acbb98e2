package org.flowbench.compute.devicecheck;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.ComputeDevices;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.lm.LmConfig;
import org.flowbench.compute.lm.LmOptimizerConfig;
import org.flowbench.compute.lm.LmProbe;
import org.flowbench.compute.lm.LmRecording;
import org.flowbench.compute.lm.NormKind;
import org.flowbench.compute.lm.Placement;
import org.flowbench.compute.lm.TextCorpus;
import org.flowbench.compute.device.Activation;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * One training run of the depth comparison (a character-level Transformer on a text file), its
 * probes appended to a CSV as they are taken so that a run stopped by a time limit still leaves
 * its curve. Made for machines that have cores but no Maven or app jar (the GPU check kit):
 * <pre>
 * DepthTrainingRun --text FILE --placement pre --seed 0 --steps 1200 --lr 2e-3 --warmup 100
 *                  --layers 12 --width 128 --heads 4 --seq 64 --batch 16 --probe-every 100
 *                  --threads 1 --device cpu --out run.csv
 * </pre>
 * Rows: {@code placement,seed,step,loss,layer,variance,mean_square,max_abs}; a final comment line
 * holds the mean loss of the last tenth of the steps, or the divergence.
 */
public final class DepthTrainingRun {

    private DepthTrainingRun() {
    }

    public static void main(String[] args) throws IOException {
        String text = null;
        String placement = "pre";
        String device = "cpu";
        Path out = null;
        long seed = 0;
        int steps = 1200;
        int warmup = 100;
        int layers = 12;
        int width = 128;
        int heads = 4;
        int seq = 64;
        int batch = 16;
        int probeEvery = 100;
        int threads = 1;
        float lr = 2e-3f;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--text" -> text = v;
                case "--placement" -> placement = v;
                case "--device" -> device = v;
                case "--out" -> out = Path.of(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--steps" -> steps = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--layers" -> layers = Integer.parseInt(v);
                case "--width" -> width = Integer.parseInt(v);
                case "--heads" -> heads = Integer.parseInt(v);
                case "--seq" -> seq = Integer.parseInt(v);
                case "--batch" -> batch = Integer.parseInt(v);
                case "--probe-every" -> probeEvery = Integer.parseInt(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--lr" -> lr = Float.parseFloat(v);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (text == null || out == null) {
            System.err.println("--text FILE and --out FILE are required");
            System.exit(2);
        }
        TextCorpus data = TextCorpus.read(Path.of(text), seq);
        Placement p = Placement.parse(placement);
        LmConfig config = new LmConfig(data.vocab(), data.seq(), width, heads, layers, p, NormKind.parse("layer"),
                false, false, LmConfig.Init.GPT2, 1f, Activation.GELU);
        LmOptimizerConfig opt = new LmOptimizerConfig(lr, 0.9f, 0.95f, 1e-8f, 0.1f, warmup, steps, 0.1f, 0f,
                LmOptimizerConfig.Algorithm.ADAMW);
        LmRecording.Settings settings = new LmRecording.Settings(config, data, opt, batch, probeEvery, 1, seed);
        String label = p.name().toLowerCase(Locale.ROOT).replace('_', '-');
        long seedOut = seed;
        long started = System.nanoTime();
        try (ComputeDevice dev = device.equals("cpu") ? new CpuDevice(threads) : ComputeDevices.open(device);
             PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING))) {
            w.println("placement,seed,step,loss,layer,variance,mean_square,max_abs");
            w.flush();
            LmRecording.Result r = LmRecording.train(dev, settings, (step, total, loss, probe) -> {
                if (probe != null) {
                    write(w, label, seedOut, probe);
                    System.err.printf(Locale.ROOT, "%s seed %d step %d/%d loss %.4f (%.0f s)%n", label, seedOut, step,
                            total, loss, (System.nanoTime() - started) / 1e9);
                }
            }, () -> false);
            if (r.diverged()) {
                w.printf(Locale.ROOT, "# diverged at step %d, layer %d: %s%n", r.divergedStep(), r.divergedLayer(),
                        r.divergedWhy());
            } else {
                w.printf(Locale.ROOT, "# final_loss=%.5f steps=%d seconds=%.1f device=%s%n", r.finalLoss(),
                        r.losses().length, (System.nanoTime() - started) / 1e9, dev.name());
            }
        }
    }

    private static void write(PrintWriter w, String placement, long seed, LmProbe p) {
        for (int l = 0; l < p.variance().length; l++) {
            w.printf(Locale.ROOT, "%s,%d,%d,%.6g,%d,%.6g,%.6g,%.6g%n", placement, seed, p.step(), p.loss(), l,
                    p.variance()[l], p.meanSquare()[l], p.maxAbs()[l]);
        }
        w.flush();
    }
}
