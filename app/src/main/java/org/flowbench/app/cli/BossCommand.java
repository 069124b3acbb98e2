package org.flowbench.app.cli;

import org.flowbench.compute.boss.BossCostMatrix;
import org.flowbench.compute.boss.BossSchedule;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.nn.FlowModelFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code flowbench boss}: the Bellman-optimal K-step Euler schedule of a model (BOSS): jump
 * costs measured on a fine grid of M steps over reference noise, then dynamic programming.
 * Writes {@code step,t,grid_index}; {@code sample --schedule FILE} steps on it.
 */
@Command(name = "boss",
        description = "Compute the Bellman-optimal K-step Euler schedule (BOSS) of a model and write it as CSV (step,t,grid_index).",
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class BossCommand implements Callable<Integer> {

    static final int MAX_STEPS = 1000;
    static final int MAX_REFERENCE = 1_000_000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "Velocity model (.safetensors).")
    Path model;

    @Option(names = "--k", paramLabel = "K", required = true, description = "Steps of the schedule, at most " + MAX_STEPS + ".")
    int k;

    @Option(names = "--grid", paramLabel = "M", defaultValue = "100", description = "Steps of the fine grid (default: ${DEFAULT-VALUE}).")
    int grid;

    @Option(names = "--n", paramLabel = "N", defaultValue = "1000", description = "Reference noise samples, at most " + MAX_REFERENCE + " (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the reference noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Mixin
    ImportOption importOption;

    @CommandLine.Mixin
    DeviceOptions device;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Schedule CSV to write.")
    Path out;

    @CommandLine.Mixin
    OverwriteOption overwrite;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        OptionChecks.atMost("--k", k, MAX_STEPS);
        OptionChecks.atMost("--grid", grid, BossCostMatrix.MAX_FINE_STEPS);
        OptionChecks.atMost("--n", n, MAX_REFERENCE);
        FlowCli.Output schedulesFile = FlowCli.output(out, overwrite, model);
        try (ComputeDevice computeDevice = device.open(stderr);
             FlowModelFile.Loaded loaded = FlowModels.load(computeDevice, model, importOption, FlowModelFile.KIND_VELOCITY)) {
            stderr.printf(Locale.ROOT, "BOSS: %d-step schedule from a %d-step fine grid over %d reference samples on %s%n",
                    k, grid, n, computeDevice.name());
            stderr.flush();
            BossSchedule schedule = FlowBoss.optimal(loaded, k, grid, n, seed);
            double[] times = schedule.times();
            int[] indices = schedule.indices();
            schedulesFile.writeText(w -> {
                w.write("step,t,grid_index\n");
                for (int i = 0; i < times.length; i++) {
                    w.write(i + "," + times[i] + "," + indices[i] + "\n");
                }
            });
            StringBuilder line = new StringBuilder("times");
            for (double t : times) {
                line.append(' ').append(String.format(Locale.ROOT, "%.4f", t));
            }
            stdout.println(line);
            stdout.printf(Locale.ROOT, "cost %.6g%n", schedule.cost());
            stdout.printf(Locale.ROOT, "schedule %s%n", out);
            stdout.flush();
        }
        return 0;
    }
}
