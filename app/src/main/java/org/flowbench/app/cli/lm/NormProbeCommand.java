package org.flowbench.app.cli.lm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flowbench.app.cli.DeviceOptions;
import org.flowbench.app.cli.OptionChecks;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.lm.LmConfig;
import org.flowbench.compute.lm.LmProbe;
import org.flowbench.compute.lm.LmProbes;
import org.flowbench.compute.lm.Placement;
import org.flowbench.compute.lm.RandomTokens;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code flowbench norm-probe}: for each placement, fresh models from S seeds, one batch of
 * uniformly random tokens each, forward and backward; per layer l = 0..L the seed mean of
 * E||x_l||^2 / d with its standard error, Xiong et al.'s Pre-LN band (1 + l/2) .. (1 + 3l/2),
 * the variance and max |x| of the stream, and the gradient norms of the layer's parameters and
 * of its MLP weights. With {@code --model}, the same rows for one GPT-2 or nanoGPT checkpoint
 * trained elsewhere, run on {@code --text} or {@code --tokens} (see {@link CheckpointProbeOptions}).
 */
@Command(name = "norm-probe",
        description = "Per-layer residual-stream size and gradient norms at initialisation, per norm placement, "
                + "against Xiong et al.'s Pre-LN band; or of a GPT-2 checkpoint (--model) on given text or tokens.",
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class NormProbeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--placement", paramLabel = "LIST", defaultValue = "pre,post,peri", split = ",",
            description = "Placements to compare: none, post, pre, peri, pre-scaled (default: ${DEFAULT-VALUE}).")
    List<String> placements;

    @CommandLine.Mixin
    LmModelOptions model;

    @Option(names = "--init", paramLabel = "SCHEME", defaultValue = "fan_in",
            description = "fan_in (N(0, 1/fan_in) matrices, unit-variance embeddings: Xiong et al.'s setting) or gpt2 (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--seeds", paramLabel = "S", defaultValue = "8", description = "Seeds averaged (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "4", description = "Sequences per seed (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seq", paramLabel = "T", defaultValue = "32", description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
    int seq;

    @Option(names = "--vocab", paramLabel = "V", defaultValue = "64", description = "Vocabulary of the random tokens (default: ${DEFAULT-VALUE}).")
    int vocab;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "First seed; seeds N .. N+S-1 (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print one JSON object instead of tables.")
    boolean json;

    @CommandLine.Mixin
    DeviceOptions device;

    @CommandLine.Mixin
    CheckpointProbeOptions checkpoint;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkpoint.checkUnused();
        if (checkpoint.active()) {
            // The checkpoint fixes the model; a setting for fresh models would be silently ignored.
            for (String option : List.of("--placement", "--layers", "--width", "--norm", "--ffn-only", "--tied",
                    "--activation", "--init-scale", "--init", "--seeds", "--batch", "--seq", "--vocab")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new IllegalArgumentException(option + " does not apply with --model: the checkpoint fixes "
                            + "the model (Pre-LN GPT-2) and --text or --tokens the input");
                }
            }
            Integer heads = spec.commandLine().getParseResult().hasMatchedOption("--heads") ? model.heads : null;
            ObjectNode root = checkpoint.probe(heads, device, err);
            if (json) {
                out.println(root.toString());
            } else {
                out.printf(Locale.ROOT, "checkpoint %s (%s, heads from %s)%n", root.get("checkpoint").asText(),
                        root.get("matrix_layout").asText(), root.get("heads_from").asText());
                printTables(out, root);
            }
            out.flush();
            return 0;
        }
        OptionChecks.range("--seeds", seeds, 1, 1000);
        OptionChecks.range("--batch", batch, 1, 4096);
        OptionChecks.range("--seq", seq, 1, LmConfig.MAX_DIM);
        OptionChecks.range("--vocab", vocab, 1, LmConfig.MAX_DIM);
        if ((long) batch * seq > (1 << 20)) {
            throw new IllegalArgumentException("--batch x --seq must be at most 1048576 tokens");
        }
        List<Placement> list = new ArrayList<>();
        for (String p : placements) {
            list.add(Placement.parse(p));
        }
        LmConfig.Init scheme = LmConfig.Init.parse(init);
        // Checked before the device opens, so a bad setting costs nothing.
        for (Placement p : list) {
            model.config(vocab, seq, p, scheme);
        }
        long[] seedList = new long[seeds];
        for (int i = 0; i < seeds; i++) {
            seedList[i] = seed + i;
        }
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        LmConfig first = model.config(vocab, seq, list.get(0), scheme);
        root.put("model", first.describe().replaceAll(" placement=\\S+", ""));
        root.put("seeds", seeds);
        root.put("tokens_per_seed", batch * seq);
        ArrayNode results = root.putArray("placements");
        try (ComputeDevice dev = device.open(err)) {
            root.put("device", dev.name());
            for (Placement p : list) {
                LmConfig config = model.config(vocab, seq, p, scheme);
                err.printf(Locale.ROOT, "norm-probe: %s, %d layers, width %d, %d seeds on %s%n", p.label(),
                        config.layers(), config.width(), seeds, dev.name());
                err.flush();
                List<LmProbe> probes = LmProbes.atInitialisation(dev, config, new RandomTokens(vocab, seq), batch,
                        seedList);
                results.add(report(mapper, config, probes, true));
            }
        }
        if (json) {
            out.println(root.toString());
        } else {
            printTables(out, root);
        }
        out.flush();
        return 0;
    }

    /** One placement's rows; {@code band} adds Xiong et al.'s Pre-LN band, a statement about initialisation. */
    static ObjectNode report(ObjectMapper mapper, LmConfig config, List<LmProbe> probes, boolean band) {
        LmProbe mean = LmProbe.mean(probes);
        double[] se = LmProbe.standardError(probes.stream().map(LmProbe::meanSquare).toList());
        ObjectNode o = mapper.createObjectNode();
        o.put("placement", config.placement().label());
        o.put("loss", mean.loss());
        boolean xiong = band && config.placement() == Placement.PRE;
        int inside = 0;
        ArrayNode layers = o.putArray("layers");
        List<String> groups = mean.groups();
        for (int l = 0; l <= config.layers(); l++) {
            ObjectNode row = layers.addObject();
            row.put("layer", l);
            row.put("mean_square", mean.meanSquare()[l]);
            row.put("mean_square_se", se[l]);
            double lo = 1 + l / 2.0;
            double hi = 1 + 1.5 * l;
            row.put("band_low", lo);
            row.put("band_high", hi);
            boolean in = mean.meanSquare()[l] >= lo && mean.meanSquare()[l] <= hi;
            boolean inWithinError = mean.meanSquare()[l] >= lo - 3 * se[l] && mean.meanSquare()[l] <= hi + 3 * se[l];
            row.put("inside_band", in);
            row.put("inside_band_3se", inWithinError);
            inside += inWithinError ? 1 : 0;
            row.put("variance", mean.variance()[l]);
            row.put("max_abs", mean.maxAbs()[l]);
            row.put("fp16_over", mean.fp16Over()[l]);
            double g2 = 0;
            for (int i = 0; i < groups.size(); i++) {
                if (groups.get(i).startsWith(l + ":")) {
                    g2 += mean.groupGradNorm()[i] * mean.groupGradNorm()[i];
                }
            }
            row.put("grad_norm", Math.sqrt(g2));
            if (l >= 1) {
                row.put("ffn_fc_grad_norm", mean.ffnGradNorm()[l - 1][0]);
                row.put("ffn_proj_grad_norm", mean.ffnGradNorm()[l - 1][1]);
            }
        }
        if (xiong) {
            o.put("layers_inside_band_3se", inside);
        }
        return o;
    }

    private static void printTables(PrintWriter out, ObjectNode root) {
        out.printf(Locale.ROOT, "model %s, %d seeds, %d tokens each, device %s%n", root.get("model").asText(),
                root.get("seeds").asInt(), root.get("tokens_per_seed").asInt(), root.get("device").asText());
        for (var p : root.get("placements")) {
            out.printf(Locale.ROOT, "%nplacement %s (loss %.4f)%n", p.get("placement").asText(), p.get("loss").asDouble());
            out.printf(Locale.ROOT, "%5s %12s %9s %17s %12s %12s %10s %12s %12s%n", "layer", "E|x|^2/d", "se",
                    "Xiong band", "variance", "max|x|", "fp16>", "grad", "ffn_proj_grad");
            // The band is Xiong et al.'s result for Pre-LN; other placements show it as a dash.
            boolean pre = p.has("layers_inside_band_3se");
            for (var r : p.get("layers")) {
                int l = r.get("layer").asInt();
                String band = pre ? String.format(Locale.ROOT, "%8.1f..%-7.1f", r.get("band_low").asDouble(),
                        r.get("band_high").asDouble()) : String.format(Locale.ROOT, "%17s", "-");
                out.printf(Locale.ROOT, "%5d %12.4f %9.4f %s %12.4f %12.4f %10.0f %12.5g %12s%n", l,
                        r.get("mean_square").asDouble(), r.get("mean_square_se").asDouble(), band,
                        r.get("variance").asDouble(),
                        r.get("max_abs").asDouble(), r.get("fp16_over").asDouble(), r.get("grad_norm").asDouble(),
                        l == 0 ? "-" : String.format(Locale.ROOT, "%.5g", r.get("ffn_proj_grad_norm").asDouble()));
            }
        }
    }
}
