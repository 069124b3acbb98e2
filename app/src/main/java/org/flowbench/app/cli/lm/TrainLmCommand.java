package org.flowbench.app.cli.lm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flowbench.app.cli.DeviceOptions;
import org.flowbench.app.cli.FlowbenchCommand;
import org.flowbench.app.cli.JsonOption;
import org.flowbench.app.cli.OptionChecks;
import org.flowbench.app.cli.ReplaceOutOption;
import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.lm.LmBatch;
import org.flowbench.compute.lm.LmConfig;
import org.flowbench.compute.lm.LmData;
import org.flowbench.compute.lm.LmDivergedException;
import org.flowbench.compute.lm.LmNormStatistics;
import org.flowbench.compute.lm.LmOptimizerConfig;
import org.flowbench.compute.lm.LmProbe;
import org.flowbench.compute.lm.LmProbes;
import org.flowbench.compute.lm.LmRunFile;
import org.flowbench.compute.lm.LmTrainer;
import org.flowbench.compute.lm.Placement;
import org.flowbench.compute.lm.SyntheticTask;
import org.flowbench.compute.lm.TextCorpus;
import org.flowbench.compute.lm.TransformerLm;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code flowbench train-lm}: trains the Transformer on a synthetic task or a UTF-8 text file
 * with AdamW, warm-up and cosine decay, probing at initialisation and every k steps, and writes
 * the weights and the probes to one run file. A loss that is not finite stops the run; the file
 * then keeps the probes so far and names the step and layer.
 */
@Command(name = "train-lm",
        description = "Train the Transformer language model (synthetic task or text file) and write a run file "
                + "with weights and per-layer probes.",
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class TrainLmCommand implements Callable<Integer> {

    /** Fresh batches of the evaluation-mode loss reported after training. */
    static final int EVAL_BATCHES = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--task", paramLabel = "TASK", defaultValue = "reverse",
            description = "copy, reverse, modadd or text (with --text) (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--task-size", paramLabel = "N", defaultValue = "8",
            description = "Symbols to copy or reverse, or the modulus of modadd (default: ${DEFAULT-VALUE}).")
    int taskSize;

    @Option(names = "--text", paramLabel = "FILE", description = "UTF-8 text file for --task text (at most 64 MiB; empty, binary and non-UTF-8 files are refused), "
                    + "e.g. samples/norm/wordnet-glosses.txt.")
    Path text;

    @Option(names = "--seq", paramLabel = "T", defaultValue = "64", description = "Characters per sequence of a text (default: ${DEFAULT-VALUE}).")
    int seq;

    @Option(names = "--placement", paramLabel = "P", defaultValue = "pre",
            description = "none, post, pre, peri or pre-scaled (default: ${DEFAULT-VALUE}).")
    String placement;

    @CommandLine.Mixin
    LmModelOptions model;

    @Option(names = "--init", paramLabel = "SCHEME", defaultValue = "gpt2", description = "gpt2 or fan_in (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "500", description = "Training steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "16", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adamw",
            description = "adamw (on the device), adamp, sgd or sgdp (Heo et al. 2021; on the host) (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "1e-3", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--warmup", paramLabel = "N", description = "Warm-up steps; 0 for none (default: a tenth of --steps).")
    Integer warmup;

    @Option(names = "--weight-decay", paramLabel = "W", defaultValue = "0.1", description = "AdamW decoupled weight decay (default: ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(names = "--clip", paramLabel = "NORM", defaultValue = "0", description = "Global gradient-norm clip; 0 is off (default: ${DEFAULT-VALUE}).")
    float clip;

    @Option(names = "--probe-every", paramLabel = "K", defaultValue = "50", description = "Probe every K steps (default: ${DEFAULT-VALUE}).")
    int probeEvery;

    @Option(names = "--probe-seeds", paramLabel = "S", defaultValue = "1",
            description = "Seeds averaged for the probe at initialisation, the training seed first (default: ${DEFAULT-VALUE}).")
    int probeSeeds;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the weights and the batches (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Run file to write (.safetensors).")
    Path out;

    @CommandLine.Mixin
    ReplaceOutOption replace;

    @CommandLine.Mixin
    JsonOption.InsteadOfTable json;

    @CommandLine.Mixin
    DeviceOptions device;

    private LmData data() throws IOException {
        if (task.strip().equalsIgnoreCase("text")) {
            if (text == null) {
                throw new IllegalArgumentException("--task text needs --text FILE");
            }
            return TextCorpus.read(text, OptionChecks.range("--seq", seq, 1, LmConfig.MAX_DIM));
        }
        if (text != null) {
            throw new IllegalArgumentException("--text is only read with --task text");
        }
        return new SyntheticTask(SyntheticTask.parseKind(task), taskSize);
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        OptionChecks.range("--steps", steps, 1, 10_000_000);
        OptionChecks.range("--batch", batch, 1, 4096);
        OptionChecks.range("--probe-every", probeEvery, 1, Integer.MAX_VALUE);
        OptionChecks.range("--probe-seeds", probeSeeds, 1, 1000);
        replace.refuseExisting(out);
        if (warmup == null) {
            warmup = steps / 10;
        }
        LmData data = data();
        LmConfig config = model.config(data.vocab(), data.seq(), Placement.parse(placement),
                LmConfig.Init.parse(init));
        LmOptimizerConfig opt = new LmOptimizerConfig(lr, 0.9f, 0.95f, 1e-8f, weightDecay,
                OptionChecks.range("--warmup", warmup, 0, steps), steps, 0.1f, clip,
                LmOptimizerConfig.Algorithm.parse(optimizer));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("training", opt.algorithm().name().toLowerCase(Locale.ROOT) + " lr=" + lr + " betas=0.9,0.95 eps=1e-8 weight_decay=" + weightDecay + " warmup="
                + warmup + " steps=" + steps + " cosine_floor=0.1 clip=" + clip + " batch=" + batch);
        meta.put("data", data.describe());
        List<LmProbe> probes = new ArrayList<>();
        String diverged = null;
        double lastLoss = Double.NaN;
        double evalLoss = Double.NaN;
        float[] params;
        LmNormStatistics statistics;
        try (ComputeDevice dev = device.open(err)) {
            err.printf(Locale.ROOT, "train-lm: %s, %s, %d steps on %s%n", config.describe(), data.describe(), steps,
                    dev.name());
            err.flush();
            long[] initSeeds = new long[probeSeeds];
            for (int i = 0; i < probeSeeds; i++) {
                initSeeds[i] = seed + i;
            }
            probes.add(LmProbe.mean(LmProbes.atInitialisation(dev, config, data, batch, initSeeds)));
            try (TransformerLm lm = new TransformerLm(dev, config, seed);
                 LmTrainer trainer = new LmTrainer(lm, opt)) {
                SeededRandom rnd = new SeededRandom(seed).split();
                try {
                    for (int s = 1; s <= steps; s++) {
                        boolean probe = s % probeEvery == 0 || s == steps;
                        float[] before = probe ? dev.download(lm.parameters()) : null;
                        lastLoss = trainer.step(data.next(batch, rnd), null);
                        if (probe) {
                            // The probe reads the activations and gradients of this step's batch.
                            probes.add(LmProbes.measure(lm, s, lastLoss, before, dev.download(lm.parameters())));
                            LmProbe p = probes.get(probes.size() - 1);
                            err.printf(Locale.ROOT, "step %d loss %.4f lr %.3g max|x| %.3g%n", s, lastLoss,
                                    opt.learningRate(s), max(p.maxAbs()));
                            err.flush();
                        }
                    }
                } catch (LmDivergedException e) {
                    diverged = e.getMessage();
                    meta.put("diverged", diverged);
                }
                if (diverged == null) {
                    evalLoss = evaluationLoss(lm, data, batch, seed);
                    meta.put("eval_loss", Double.toString(evalLoss));
                }
                params = dev.download(lm.parameters());
                statistics = lm.normStatistics();
            }
        }
        LmRunFile.write(out, config, params, statistics, probes, seed, meta);
        report(stdout, config, probes, lastLoss, evalLoss);
        if (diverged != null) {
            err.println("flowbench: " + diverged + "; the probes so far are in " + out);
            err.flush();
            return FlowbenchCommand.EXIT_BAD_INPUT;
        }
        return 0;
    }

    /**
     * The mean loss of {@value #EVAL_BATCHES} fresh batches (drawn from a stream of their own) in
     * evaluation mode: the batch and power norms use their running statistics, as at inference,
     * instead of statistics that mix the positions and sequences of the batch.
     */
    static double evaluationLoss(TransformerLm lm, LmData data, int batch, long seed) {
        lm.setTraining(false);
        SeededRandom fresh = new SeededRandom(seed ^ 0x5DEECE66DL).split();
        double sum = 0;
        for (int i = 0; i < EVAL_BATCHES; i++) {
            LmBatch b = data.next(batch, fresh);
            sum += lm.forward(b.tokens(), b.targets(), b.batch(), b.seq());
        }
        lm.setTraining(true);
        return sum / EVAL_BATCHES;
    }

    private static double max(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    private void report(PrintWriter stdout, LmConfig config, List<LmProbe> probes, double lastLoss,
                        double evalLoss) {
        if (json.requested()) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode o = mapper.createObjectNode();
            o.put("model", config.describe());
            o.put("final_loss", lastLoss);
            o.put("eval_loss", evalLoss);
            o.put("run", out.toString());
            ArrayNode rows = o.putArray("probes");
            for (LmProbe p : probes) {
                rows.add(mapper.valueToTree(LmProbes.asMap(p)));
            }
            stdout.println(o.toString());
        } else {
            stdout.printf(Locale.ROOT, "%6s %9s %12s %12s %12s%n", "step", "loss", "var(x_L)", "max|x|", "fp16>");
            for (LmProbe p : probes) {
                int last = p.variance().length - 1;
                double over = 0;
                for (double v : p.fp16Over()) {
                    over += v;
                }
                stdout.printf(Locale.ROOT, "%6d %9.4f %12.5g %12.5g %12.0f%n", p.step(), p.loss(), p.variance()[last],
                        max(p.maxAbs()), over);
            }
            stdout.printf(Locale.ROOT, "final_loss %.6f%n", lastLoss);
            stdout.printf(Locale.ROOT, "eval_loss %.6f%n", evalLoss);
            stdout.printf(Locale.ROOT, "run %s%n", out);
        }
        stdout.flush();
    }
}
