package org.flowbench.app.cli.lm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flowbench.app.cli.DeviceOptions;
import org.flowbench.app.cli.JsonOption;
import org.flowbench.app.cli.OptionChecks;
import org.flowbench.app.cli.ReplaceOutOption;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.lm.LmConfig;
import org.flowbench.compute.lm.LmSweep;
import org.flowbench.compute.lm.Placement;
import org.flowbench.compute.lm.SyntheticTask;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code flowbench sweep-lm}: trains the Transformer once per combination of placement, peak
 * learning rate, warm-up on/off and seed on a synthetic task, and writes each run's final loss
 * and whether (and where) it diverged to one sweep file (CSV). Xiong et al.'s warm-up story is a
 * row of this table: Post-LN without warm-up at a learning rate where Pre-LN trains.
 */
@Command(name = "sweep-lm",
        description = "Train every combination of placement, learning rate, warm-up and seed on a synthetic task; "
                + "write final losses and divergences to a sweep file (CSV).",
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class SweepLmCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--placement", paramLabel = "LIST", defaultValue = "post,pre,peri", split = ",",
            description = "Placements: none, post, pre, peri, pre-scaled (default: ${DEFAULT-VALUE}).")
    List<String> placements;

    @Option(names = "--lr", paramLabel = "LIST", defaultValue = "1e-3,3e-3,1e-2", split = ",",
            description = "Peak learning rates (default: ${DEFAULT-VALUE}).")
    List<String> lrs;

    @Option(names = "--warmup", paramLabel = "LIST", defaultValue = "on,off", split = ",",
            description = "Warm-up on, off or both (default: ${DEFAULT-VALUE}).")
    List<String> warmups;

    @Option(names = "--warmup-steps", paramLabel = "N",
            description = "Warm-up steps of the runs with warm-up on (default: a tenth of --steps).")
    Integer warmupSteps;

    @Option(names = "--seeds", paramLabel = "LIST", defaultValue = "0,1,2", split = ",",
            description = "Seeds of the weights and batches (default: ${DEFAULT-VALUE}).")
    List<String> seeds;

    @Option(names = "--task", paramLabel = "TASK", defaultValue = "reverse",
            description = "copy, reverse or modadd (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--task-size", paramLabel = "N", defaultValue = "8",
            description = "Symbols to copy or reverse, or the modulus of modadd (default: ${DEFAULT-VALUE}).")
    int taskSize;

    @CommandLine.Mixin
    LmModelOptions model;

    @Option(names = "--init", paramLabel = "SCHEME", defaultValue = "gpt2", description = "gpt2 or fan_in (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "200", description = "Training steps per run (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "16", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--weight-decay", paramLabel = "W", defaultValue = "0.1", description = "AdamW decoupled weight decay (default: ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Sweep file to write (.csv).")
    Path out;

    @CommandLine.Mixin
    ReplaceOutOption replace;

    @CommandLine.Mixin
    JsonOption.InsteadOfTable json;

    @CommandLine.Mixin
    DeviceOptions device;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        OptionChecks.range("--steps", steps, 1, 1_000_000);
        OptionChecks.range("--batch", batch, 1, 4096);
        replace.refuseExisting(out);
        int warm = OptionChecks.range("--warmup-steps", warmupSteps == null ? steps / 10 : warmupSteps, 0, steps);
        SyntheticTask.Kind kind = SyntheticTask.parseKind(task);
        SyntheticTask data = new SyntheticTask(kind, taskSize);
        LmConfig config = model.config(data.vocab(), data.seq(), Placement.PRE, LmConfig.Init.parse(init));
        LmSweep.Settings settings = new LmSweep.Settings(config, kind, taskSize, steps, batch, warm, weightDecay);
        List<LmSweep.Cell> cells = LmSweep.grid(parsePlacements(), parseRates(), parseWarmups(), parseSeeds());
        LmSweep.Sweep sweep;
        try (ComputeDevice dev = device.open(err)) {
            err.printf(Locale.ROOT, "sweep-lm: %d runs of %d steps, %s, %s on %s%n", cells.size(), steps,
                    config.describe(), data.describe(), dev.name());
            err.flush();
            sweep = LmSweep.run(dev, settings, cells, (done, total, o) -> {
                LmSweep.Cell c = o.cell();
                err.printf(Locale.ROOT, "run %d/%d %s lr %s warm-up %s seed %d: %s%n", done, total,
                        c.placement().label(), c.lr(), c.warmup() ? "on" : "off", c.seed(),
                        o.diverged() ? "diverged at step " + o.divergedStep() : String.format(Locale.ROOT, "loss %.4f", o.finalLoss()));
                err.flush();
            }, null);
        }
        LmSweep.write(out, sweep);
        report(stdout, sweep);
        return 0;
    }

    private List<Placement> parsePlacements() {
        List<Placement> out = new ArrayList<>();
        for (String p : placements) {
            out.add(Placement.parse(p));
        }
        return out;
    }

    private List<Float> parseRates() {
        List<Float> out = new ArrayList<>();
        for (String s : lrs) {
            float v;
            try {
                v = Float.parseFloat(s.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--lr: '" + s + "' is not a number");
            }
            if (!(v > 0) || !Float.isFinite(v) || v > 10) {
                throw new IllegalArgumentException("--lr: " + s + " must be in (0, 10]");
            }
            out.add(v);
        }
        return out;
    }

    private List<Boolean> parseWarmups() {
        List<Boolean> out = new ArrayList<>();
        for (String s : warmups) {
            switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "on" -> out.add(true);
                case "off" -> out.add(false);
                default -> throw new IllegalArgumentException("--warmup: '" + s + "' is not on or off");
            }
        }
        return out;
    }

    private List<Long> parseSeeds() {
        List<Long> out = new ArrayList<>();
        for (String s : seeds) {
            try {
                long v = Long.parseLong(s.strip());
                if (v < 0) {
                    throw new NumberFormatException();
                }
                out.add(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--seeds: '" + s + "' is not a whole number 0 or above");
            }
        }
        return out;
    }

    private void report(PrintWriter stdout, LmSweep.Sweep sweep) {
        if (json.requested()) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode o = mapper.createObjectNode();
            o.put("model", sweep.settings().model().describe());
            o.put("data", sweep.settings().data().describe());
            o.put("steps", sweep.settings().steps());
            o.put("warmup_steps", sweep.settings().warmupSteps());
            o.put("sweep", out.toString());
            ArrayNode rows = o.putArray("runs");
            for (LmSweep.Outcome r : sweep.outcomes()) {
                ObjectNode row = rows.addObject();
                row.put("placement", r.cell().placement().label());
                row.put("lr", r.cell().lr());
                row.put("warmup", r.cell().warmup());
                row.put("seed", r.cell().seed());
                if (r.diverged()) {
                    row.putNull("final_loss");
                } else {
                    row.put("final_loss", r.finalLoss());
                }
                row.put("diverged", r.diverged());
                row.put("diverged_step", r.divergedStep());
                row.put("diverged_layer", r.divergedLayer());
            }
            stdout.println(o.toString());
        } else {
            stdout.printf(Locale.ROOT, "%-10s %8s %7s %5s %11s %s%n", "placement", "lr", "warmup", "seed", "final_loss",
                    "diverged");
            for (LmSweep.Outcome r : sweep.outcomes()) {
                LmSweep.Cell c = r.cell();
                stdout.printf(Locale.ROOT, "%-10s %8s %7s %5d %11s %s%n", c.placement().label(), c.lr(),
                        c.warmup() ? "on" : "off", c.seed(),
                        r.diverged() ? "-" : String.format(Locale.ROOT, "%.5g", r.finalLoss()),
                        r.diverged() ? "step " + r.divergedStep() + " layer " + r.divergedLayer() : "no");
            }
            stdout.printf(Locale.ROOT, "sweep %s%n", out);
        }
        stdout.flush();
    }
}
