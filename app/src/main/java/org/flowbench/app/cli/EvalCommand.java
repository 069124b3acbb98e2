package org.flowbench.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.data.Dataset;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.metrics.FlowEvaluation;
import org.flowbench.compute.nn.FlowModelFile;
import org.flowbench.compute.ode.IntegrationMonitor;
import org.flowbench.compute.ot.LinearAssignment;
import org.flowbench.compute.train.Reflow;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code flowbench eval}: pushes n noise points through a model and reports W2 to a held-out
 * target sample (exact OT), straightness, normalized path energy and NFE, with the solver that
 * produced them.
 */
@Command(name = "eval",
        description = "Evaluate a model: W2 to a held-out target sample, straightness, normalized path energy (NPE) and NFE.",
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class EvalCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "Checkpoint to evaluate (.safetensors).")
    Path model;

    @Option(names = "--target", paramLabel = "DATASET", description = "Target distribution (default: the one the model was trained on).")
    String target;

    @Option(names = "--n", paramLabel = "N", defaultValue = "1000", description = "Points generated and held out, at most " + LinearAssignment.MAX_SIZE + " (exact OT) (default: ${DEFAULT-VALUE}).")
    int n;

    @CommandLine.Mixin
    FlowSolverOptions solver;

    @CommandLine.Mixin
    JsonOption.InsteadOfLines json;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the noise and the held-out sample (default: ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Mixin
    ImportOption importOption;

    @CommandLine.Mixin
    DeviceOptions device;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        OptionChecks.atMost("--n", n, LinearAssignment.MAX_SIZE);
        try (ComputeDevice computeDevice = device.open(stderr);
             FlowModelFile.Loaded loaded = FlowModels.load(computeDevice, model, importOption)) {
            String targetName = target != null ? target : loaded.metadata(Checkpoint.KEY_TARGET, null);
            if (targetName == null) {
                throw new IllegalArgumentException("--target is required: the model file does not name its target");
            }
            Dataset targetSet = target != null ? FlowCli.dataset("--target", target) : FlowModels.dataset(loaded, Checkpoint.KEY_TARGET, null);
            FlowModels.Integration integration = FlowModels.integration(loaded, solver, seed, stderr);
            float[] z0 = FlowModels.source(loaded).sample(n, seed);
            float[] heldOut = targetSet.sample(n, Reflow.roundSeed(seed, 2000));
            stderr.printf(Locale.ROOT, "evaluating %s on %d points with %s on %s%n", model.getFileName(), n,
                    integration.description(), computeDevice.name());
            stderr.flush();
            FlowEvaluation e = FlowEvaluation.evaluate(loaded.model(), z0, heldOut, integration.solver(), integration.grid(),
                    IntegrationMonitor.NONE);
            if (json.requested()) {
                ObjectNode o = new ObjectMapper().createObjectNode();
                o.put("model", model.getFileName().toString());
                o.put("target", targetSet.name());
                o.put("n", n);
                o.put("solver", integration.description());
                o.put("w2", e.w2());
                o.put("straightness", e.straightness());
                o.put("npe", e.normalizedPathEnergy());
                o.put("nfe", e.nfe());
                o.put("path_energy", e.pathEnergy());
                o.put("w2_squared_source_target", e.w2SquaredSourceTarget());
                o.put("seed", seed);
                stdout.println(o.toString());
            } else {
                stdout.printf(Locale.ROOT, "w2 %.6f%n", e.w2());
                stdout.printf(Locale.ROOT, "straightness %.6f%n", e.straightness());
                stdout.printf(Locale.ROOT, "npe %.6f%n", e.normalizedPathEnergy());
                stdout.printf(Locale.ROOT, "nfe %d%n", e.nfe());
            }
            stdout.flush();
        }
        return 0;
    }
}
