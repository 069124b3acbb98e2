package org.flowbench.app.cli.norm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flowbench.app.cli.DeviceOptions;
import org.flowbench.app.cli.JsonOption;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.norm.BatchFluctuation;
import org.flowbench.compute.norm.InputPreset;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code flowbench norm-layers}: the batch-statistic fluctuation of each normalization layer over
 * many batches of an input preset (image-like, token-like with outlier channels, micro-batch),
 * the measurement behind PowerNorm's Figure 1.
 */
@Command(name = "norm-layers",
        description = "Batch-statistic fluctuation of each normalization layer over many batches of an input preset "
                + "(image, tokens with outlier channels, micro-batch).",
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class NormLayersCommand implements Callable<Integer> {

    /** Most batches one run measures (each is a forward pass of every layer). */
    static final int MAX_BATCHES = 100_000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--preset", paramLabel = "P[,P...]", split = ",", defaultValue = "image,tokens,micro",
            description = "Input presets: image, tokens, micro (default: ${DEFAULT-VALUE}).")
    List<String> presets;

    @Option(names = "--batches", paramLabel = "N", defaultValue = "400",
            description = "Batches per preset; the first quarter (at least 20) is burn-in (default: ${DEFAULT-VALUE}).")
    int batches;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the synthetic data (default: ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Mixin
    JsonOption.InsteadOfTable json;

    @CommandLine.Mixin
    DeviceOptions device;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<InputPreset> chosen = new ArrayList<>();
        for (String p : presets) {
            chosen.add(InputPreset.byId(p.strip().toLowerCase(Locale.ROOT)));
        }
        int burn = BatchFluctuation.burnIn(batches);
        if (batches < 1 || batches > MAX_BATCHES || batches <= burn) {
            throw new IllegalArgumentException("--batches must be between " + (burn + 1) + " and " + MAX_BATCHES
                    + ", got " + batches);
        }
        List<BatchFluctuation.Row> rows = new ArrayList<>();
        try (ComputeDevice d = device.open(err)) {
            for (InputPreset preset : chosen) {
                err.printf(Locale.ROOT, "%s: %d batches of %d x %d x %d on %s%n", preset.id(), batches, preset.batch(),
                        preset.channels(), preset.spatial(), d.name());
                err.flush();
                int step = Math.max(1, batches / 4);
                rows.addAll(BatchFluctuation.measure(d, preset, batches, seed, done -> {
                    if (done % step == 0 || done == batches) {
                        err.printf(Locale.ROOT, "  %d/%d%n", done, batches);
                        err.flush();
                    }
                }));
            }
            if (json.requested()) {
                ObjectMapper mapper = new ObjectMapper();
                ObjectNode o = mapper.createObjectNode();
                o.put("device", d.name());
                o.put("batches", batches);
                o.put("burn_in", burn);
                o.put("seed", seed);
                ArrayNode list = o.putArray("rows");
                for (BatchFluctuation.Row r : rows) {
                    ObjectNode row = list.addObject();
                    row.put("preset", r.preset());
                    row.put("layer", r.layer());
                    row.put("statistic", r.statistic());
                    row.put("mean_deviation", r.mean());
                    row.put("max_deviation", r.max());
                }
                out.println(o);
            } else {
                out.printf(Locale.ROOT, "%-8s %-14s %-48s %10s %10s%n", "preset", "layer", "statistic", "mean dev",
                        "max dev");
                for (BatchFluctuation.Row r : rows) {
                    out.printf(Locale.ROOT, "%-8s %-14s %-48s %10.4f %10.4f%n", r.preset(), r.layer(), r.statistic(),
                            r.mean(), r.max());
                }
            }
            out.flush();
        }
        return 0;
    }
}
