package org.flowbench.app.cli.norm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flowbench.app.cli.DeviceOptions;
import org.flowbench.app.cli.JsonOption;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.norm.FoldedInference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code flowbench fold-norm}: a dense layer followed by BatchNorm or Unified Normalization at
 * inference, unfolded (dense, then the norm with its running statistics) and folded into one dense
 * layer: the largest output difference and the median time of each way, measured in the same run.
 */
@Command(name = "fold-norm",
        description = "Folded vs unfolded inference of a dense layer followed by BatchNorm or Unified Normalization: "
                + "largest output difference and median time per inference both ways, same run.",
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class FoldNormCommand implements Callable<Integer> {

    /** Largest output difference, relative to the outputs' scale, that counts as the same output. */
    static final double SAME_OUTPUT = 1e-5;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--norm", paramLabel = "N[,N...]", split = ",", defaultValue = "batch,unified",
            description = "Norms after the dense layer: batch, unified (default: ${DEFAULT-VALUE}).")
    List<String> norms;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "4096",
            description = "Tokens per inference batch (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--in", paramLabel = "D", defaultValue = "256",
            description = "Inputs of the dense layer (default: ${DEFAULT-VALUE}).")
    int in;

    @Option(names = "--out", paramLabel = "D", defaultValue = "256",
            description = "Outputs of the dense layer, the norm's channels (default: ${DEFAULT-VALUE}).")
    int out;

    @Option(names = "--train-batches", paramLabel = "N", defaultValue = "20",
            description = "Training-mode batches that set the running statistics (default: ${DEFAULT-VALUE}).")
    int trainBatches;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "10",
            description = "Untimed runs of each way (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "30",
            description = "Timed runs of each way; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of weights and data (default: ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Mixin
    JsonOption.InsteadOfTable json;

    @CommandLine.Mixin
    DeviceOptions device;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<FoldedInference.Settings> settings = new ArrayList<>();
        for (String n : norms) {
            settings.add(new FoldedInference.Settings(FoldedInference.Kind.parse(n), rows, in, out, trainBatches,
                    warmup, repeats, seed));
        }
        List<FoldedInference.Result> results = new ArrayList<>();
        String deviceName;
        try (ComputeDevice d = device.open(err)) {
            deviceName = d.name();
            for (FoldedInference.Settings s : settings) {
                err.printf(Locale.ROOT, "fold-norm: %s, %d x %d -> %d on %s, %d warm-up and %d timed runs each%n",
                        s.kind().label(), s.rows(), s.in(), s.out(), d.name(), s.warmup(), s.repeats());
                err.flush();
                results.add(FoldedInference.measure(d, s));
            }
        }
        if (json.requested()) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode o = mapper.createObjectNode();
            o.put("device", deviceName);
            o.put("rows", rows);
            o.put("in", in);
            o.put("out", out);
            o.put("warmup", warmup);
            o.put("repeats", repeats);
            o.put("seed", seed);
            o.put("same_output_tolerance", SAME_OUTPUT);
            ArrayNode list = o.putArray("results");
            for (FoldedInference.Result r : results) {
                ObjectNode row = list.addObject();
                row.put("norm", r.settings().kind().label());
                row.put("max_abs_difference", r.maxAbsDifference());
                row.put("relative_difference", r.relativeDifference());
                row.put("same_output", r.relativeDifference() <= SAME_OUTPUT);
                row.put("unfolded_ms", r.unfoldedMs());
                row.put("folded_ms", r.foldedMs());
                row.put("speedup", r.speedup());
                row.put("time_saved", r.timeSaved());
            }
            stdout.println(o);
        } else {
            stdout.printf(Locale.ROOT, "dense %d x %d -> %d, then the norm in evaluation mode, on %s; median of %d runs%n",
                    rows, in, out, deviceName, repeats);
            stdout.printf(Locale.ROOT, "%-8s %12s %12s %6s %12s %12s %8s %8s%n", "norm", "max |diff|", "relative",
                    "same", "unfolded ms", "folded ms", "speedup", "saved");
            for (FoldedInference.Result r : results) {
                stdout.printf(Locale.ROOT, "%-8s %12.3e %12.3e %6s %12.3f %12.3f %7.2fx %7.1f%%%n",
                        r.settings().kind().label(), r.maxAbsDifference(), r.relativeDifference(),
                        r.relativeDifference() <= SAME_OUTPUT ? "yes" : "NO", r.unfoldedMs(), r.foldedMs(),
                        r.speedup(), 100 * r.timeSaved());
            }
        }
        stdout.flush();
        return 0;
    }
}
