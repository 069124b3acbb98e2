package org.flowbench.app.cli;

import org.flowbench.compute.checkpoint.Safetensors;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.nn.FlowModelFile;
import org.flowbench.compute.nn.MlpArchitecture;
import org.flowbench.compute.nn.TimeEmbedding;
import org.flowbench.compute.train.FlowMatchingTrainer;
import org.flowbench.compute.train.FlowTraining;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code flowbench train-flow}: trains a 2D velocity field by conditional flow matching and saves it as safetensors. */
@Command(name = "train-flow",
        description = "Train a 2D velocity field v(x, t) by conditional flow matching and save it as a safetensors checkpoint.",
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class TrainFlowCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--source", paramLabel = "DATASET", defaultValue = "normal", description = "Source distribution p0 (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--target", paramLabel = "DATASET", required = true, description = "Target distribution p1, e.g. moons, 8gaussians.")
    String target;

    @Option(names = "--coupling", paramLabel = "independent|ot", defaultValue = "independent", description = "How x0 and x1 are paired (default: ${DEFAULT-VALUE}).")
    String coupling;

    @Option(names = "--path", paramLabel = "linear|icfm|vp|target-cfm", defaultValue = "linear", description = "Conditional probability path (default: ${DEFAULT-VALUE}).")
    String path;

    @Option(names = "--sigma", paramLabel = "S", description = "Path noise for icfm (default 0.1) and target-cfm (default 0).")
    Double sigma;

    @Option(names = "--hidden", paramLabel = "W,W,...", defaultValue = "64,64,64", description = "Hidden layer widths (default: ${DEFAULT-VALUE}).")
    String hidden;

    @Option(names = "--activation", paramLabel = "relu|silu|selu|tanh|gelu", defaultValue = "selu", description = "Hidden activation (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--time-embedding", paramLabel = "sinK|raw", defaultValue = "sin4", description = "Time features (default: ${DEFAULT-VALUE}).")
    String timeEmbedding;

    @CommandLine.Mixin
    FlowTrainingOptions training;

    @CommandLine.Mixin
    SeedOption seedOption;

    @CommandLine.Mixin
    DeviceOptions device;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Checkpoint to write (.safetensors).")
    Path out;

    @CommandLine.Mixin
    OverwriteOption overwrite;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        FlowTraining.Config config = config();
        FlowCli.Output checkpointFile = FlowCli.output(out, overwrite);
        try (ComputeDevice computeDevice = device.open(stderr)) {
            stderr.printf(Locale.ROOT, "train-flow %s -> %s, %s coupling, %s path, %s on %s%n", config.source(), config.target(),
                    config.coupling(), config.path(), config.architecture().spec(), computeDevice.name());
            FlowTraining.Trained trained = FlowTraining.train(computeDevice, config, new FlowProgressBar(stderr, "train"), null);
            checkpointFile.write(Safetensors.toBytes(FlowModelFile.toCheckpoint(trained.architecture(), trained.parameters(),
                    FlowModelFile.KIND_VELOCITY, trained.record())));
            stderr.printf(Locale.ROOT, "%d steps in %.1f s (%.0f steps/s)%n", trained.result().steps(), trained.result().seconds(),
                    trained.result().steps() / trained.result().seconds());
            stdout.printf(Locale.ROOT, "final_loss %.6f%n", trained.result().recentLoss(100));
            stdout.printf(Locale.ROOT, "checkpoint %s%n", out);
            stdout.flush();
        }
        return 0;
    }

    FlowTraining.Config config() {
        FlowMatchingTrainer.Settings settings = training.settings(seedOption.seed());
        if (sigma != null) {
            OptionChecks.nonNegative("--sigma", sigma);
        }
        FlowCli.dataset("--source", source);
        FlowCli.dataset("--target", target);
        MlpArchitecture architecture = new MlpArchitecture(2, 2, TimeEmbedding.parse(timeEmbedding),
                MlpArchitecture.parseWidths(hidden), Activation.parse(activation));
        return new FlowTraining.Config(source, target, coupling, path, sigma == null ? Double.NaN : sigma, architecture, settings);
    }
}
