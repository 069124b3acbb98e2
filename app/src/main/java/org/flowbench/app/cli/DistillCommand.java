package org.flowbench.app.cli;

import org.flowbench.compute.checkpoint.Safetensors;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.nn.FlowModelFile;
import org.flowbench.compute.nn.MlpArchitecture;
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
 * {@code flowbench distill}: one-step distillation (InstaFlow). Simulates reflow pairs with the
 * model, then trains a copy of it, starting from its weights, so that one Euler step
 * z1 = z0 + v(z0, 0) lands on the pair; saves it as a one-step generator.
 */
@Command(name = "distill",
        description = "Distill a flow into a one-step generator z1 = z0 + v(z0, 0) trained on the model's own pairs.",
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class DistillCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "Velocity model to distill (.safetensors), usually a 2-RF.")
    Path model;

    @Option(names = "--pairs", paramLabel = "N", defaultValue = "10000", description = "Pairs simulated from the model, at most " + ReflowCommand.MAX_PAIRS + " (default: ${DEFAULT-VALUE}).")
    int pairs;

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

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "One-step generator to write (.safetensors).")
    Path out;

    @CommandLine.Mixin
    OverwriteOption overwrite;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        OptionChecks.atMost("--pairs", pairs, ReflowCommand.MAX_PAIRS);
        FlowCli.Output checkpointFile = FlowCli.output(out, overwrite, model, solver.scheduleFile());
        long seed = seedOption.seed();
        FlowMatchingTrainer.Settings settings = Reflow.distillationSettings(training.settings(seed));
        try (ComputeDevice computeDevice = device.open(stderr);
             FlowModelFile.Loaded teacher = FlowModels.load(computeDevice, model, importOption, FlowModelFile.KIND_VELOCITY)) {
            FlowModels.Integration integration = FlowModels.integration(teacher, solver, seed, stderr);
            MlpArchitecture architecture = teacher.model().architecture();
            Reflow.Plan plan = new Reflow.Plan(pairs, Reflow.roundSeed(seed, 0), FlowTraining.initSeed(seed), true, true, settings,
                    integration.description());
            Reflow.Child child = FlowReflowSupport.rectify(computeDevice, teacher, model, integration, plan, "distill", stderr);
            FlowMatchingTrainer.Result result = child.result();
            Map<String, String> metadata = child.metadata();
            checkpointFile.write(Safetensors.toBytes(FlowModelFile.toCheckpoint(architecture, result.parameters(), FlowModelFile.KIND_ONE_STEP, metadata)));
            stdout.printf(Locale.ROOT, "final_loss %.6f%n", result.recentLoss(100));
            stdout.printf(Locale.ROOT, "checkpoint %s%n", out);
            stdout.flush();
        }
        return 0;
    }
}
