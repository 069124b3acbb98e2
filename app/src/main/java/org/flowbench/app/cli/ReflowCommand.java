package org.flowbench.app.cli;

import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.Safetensors;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.nn.FlowModelFile;
import org.flowbench.compute.nn.MlpArchitecture;
import org.flowbench.compute.nn.VelocityMlp;
import org.flowbench.compute.train.FlowMatchingTrainer;
import org.flowbench.compute.train.FlowTraining;
import org.flowbench.compute.train.Reflow;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code flowbench reflow}: k rounds of reflow. Each round simulates fresh noise through the
 * current model to make pairs (z0, z1), then trains on straight lines between them, from the
 * current weights ({@code --warm-start}) or a fresh initialisation; straightness is printed after
 * each round.
 */
@Command(name = "reflow",
        description = "Rectify a flow: simulate pairs (z0, ODE(z0)) with the model and retrain on straight lines between them.",
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class ReflowCommand implements Callable<Integer> {

    /** Largest number of pairs one round may simulate. */
    static final int MAX_PAIRS = 5_000_000;
    static final int MAX_ROUNDS = 100;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "Velocity model to rectify (.safetensors).")
    Path model;

    @Option(names = "--pairs", paramLabel = "N", defaultValue = "10000", description = "Pairs simulated per round, at most " + MAX_PAIRS + " (default: ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--rounds", paramLabel = "K", defaultValue = "1", description = "Reflow rounds, at most " + MAX_ROUNDS + " (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warm-start", description = "Start each round from the current weights instead of a fresh initialisation.")
    boolean warmStart;

    @CommandLine.Mixin
    FlowTrainingOptions training;

    @CommandLine.Mixin
    FlowSolverOptions solver;

    @CommandLine.Mixin
    SeedOption seedOption;

    @CommandLine.Mixin
    ImportOption importOption;

    @CommandLine.Mixin
    DeviceOptions device;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Checkpoint of the last round (.safetensors).")
    Path out;

    @CommandLine.Mixin
    OverwriteOption overwrite;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        OptionChecks.atMost("--pairs", pairs, MAX_PAIRS);
        OptionChecks.atMost("--rounds", rounds, MAX_ROUNDS);
        FlowCli.Output checkpointFile = FlowCli.output(out, overwrite, model, solver.scheduleFile());
        long seed = seedOption.seed();
        FlowMatchingTrainer.Settings settings = training.settings(seed);
        try (ComputeDevice computeDevice = device.open(stderr)) {
            FlowModelFile.Loaded current = FlowModels.load(computeDevice, model, importOption, FlowModelFile.KIND_VELOCITY);
            try {
                MlpArchitecture architecture = current.model().architecture();
                for (int round = 1; round <= rounds; round++) {
                    FlowModels.Integration integration = FlowModels.integration(current, solver, seed, stderr);
                    int fromRound = FlowModels.reflowRound(current);
                    Reflow.Plan plan = new Reflow.Plan(pairs, Reflow.roundSeed(seed, round), FlowTraining.initSeed(seed + round),
                            warmStart, false, settings, integration.description());
                    Reflow.Child child = FlowReflowSupport.rectify(computeDevice, current, model, integration, plan,
                            "reflow " + (fromRound + 1) + "-RF", stderr);
                    FlowMatchingTrainer.Result result = child.result();
                    Map<String, String> metadata = child.metadata();
                    FlowModelFile.Loaded next = new FlowModelFile.Loaded(
                            VelocityMlp.withParameters(computeDevice, architecture, result.parameters()), FlowModelFile.KIND_VELOCITY,
                            FlowModelFile.toCheckpoint(architecture, result.parameters(), FlowModelFile.KIND_VELOCITY, metadata));
                    current.close();
                    current = next;
                    FlowStraightness.Report straightness = FlowStraightness.measure(current, FlowStraightness.DEFAULT_PARTICLES, seed);
                    stdout.printf(Locale.ROOT, "round %d reflow_round %d final_loss %.6f straightness %.6f%n", round, fromRound + 1,
                            result.recentLoss(100), straightness.straightness());
                    stdout.flush();
                }
                checkpointFile.write(Safetensors.toBytes(FlowModelFile.toCheckpoint(architecture, current.model().parameterValues(),
                        FlowModelFile.KIND_VELOCITY, withoutFlowbenchKeys(current.checkpoint()))));
                stdout.printf(Locale.ROOT, "checkpoint %s%n", out);
                stdout.flush();
            } finally {
                current.close();
            }
        }
        return 0;
    }

    private static Map<String, String> withoutFlowbenchKeys(Checkpoint checkpoint) {
        Map<String, String> record = new java.util.LinkedHashMap<>(checkpoint.metadata());
        record.remove(Checkpoint.KEY_FORMAT);
        record.remove(Checkpoint.KEY_FORMAT_VERSION);
        record.remove(Checkpoint.KEY_KIND);
        record.remove(Checkpoint.KEY_ARCHITECTURE);
        return record;
    }
}
