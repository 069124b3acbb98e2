package org.flowbench.app.cli;

import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.CheckpointIndex;
import org.flowbench.compute.checkpoint.Safetensors;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.nn.CheckpointImport;
import org.flowbench.compute.nn.FlowModelFile;
import org.flowbench.compute.nn.ImportPreset;
import org.flowbench.compute.nn.MlpArchitecture;
import org.flowbench.compute.nn.TimeEmbedding;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code flowbench import-checkpoint}: reads a velocity MLP saved by PyTorch code (a state dict in
 * safetensors or .npz) in a named layout and writes it as a Flowbench checkpoint with full
 * metadata, so every other command and the window open it without {@code --import}.
 */
@Command(name = "import-checkpoint",
        description = "Convert a PyTorch velocity MLP (safetensors or .npz state dict; F32, F16, BF16 or F64) into a Flowbench "
                + "checkpoint. Layer widths and the data dimension come from the tensor shapes; the preset says the layer "
                + "names, the activation and how time enters.",
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class ImportCheckpointCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--preset", paramLabel = "PRESET", required = true,
            description = "torchcfm-mlp (net.0, net.2, ...; SELU), flow-matching-mlp (main.0, main.2, ...; SiLU), "
                    + "rectified-flow-mlp (fc1, fc2, ...; tanh) or flowbench; all take the input [x, t].")
    String preset;

    @Option(names = "--in", paramLabel = "FILE", required = true, description = "State dict to read (.safetensors or .npz).")
    Path in;

    @Option(names = "--activation", paramLabel = "relu|silu|selu|tanh|gelu", description = "Hidden activation, when not the preset's.")
    String activation;

    @Option(names = "--time-embedding", paramLabel = "raw|sinK", description = "Time features, when not the preset's (raw: t itself).")
    String timeEmbedding;

    @Option(names = "--source", paramLabel = "DATASET", defaultValue = "normal",
            description = "Source distribution the model flows from (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--target", paramLabel = "DATASET", description = "Target distribution it was trained on, if one of Flowbench's.")
    String target;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Flowbench checkpoint to write (.safetensors).")
    Path out;

    @CommandLine.Mixin
    OverwriteOption overwrite;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        ImportPreset chosen = ImportPreset.byId(preset);
        Activation act = activation == null ? null : Activation.parse(activation);
        TimeEmbedding time = timeEmbedding == null ? null : TimeEmbedding.parse(timeEmbedding);
        FlowCli.dataset("--source", source);
        if (target != null) {
            FlowCli.dataset("--target", target);
        }
        OptionChecks.existingFile("--in", in);
        FlowCli.Output checkpointFile = FlowCli.output(out, overwrite, in);
        if (chosen != ImportPreset.FLOWBENCH) {
            CheckpointImport.Plan plan = CheckpointImport.plan(CheckpointIndex.open(in), chosen, act, time);
            stderr.printf(Locale.ROOT, "%s: %d Linear layers (%s), %s%n", in.getFileName(), plan.architecture().layers(),
                    plan.storedType(), plan.architecture().spec());
            stderr.flush();
        }
        // Importing only reads and writes weights: the cpu device holds them, nothing is computed.
        try (ComputeDevice cpu = new CpuDevice(1);
             FlowModelFile.Loaded loaded = CheckpointImport.load(cpu, in, chosen, act, time)) {
            MlpArchitecture architecture = loaded.model().architecture();
            Map<String, String> record = new TreeMap<>(loaded.checkpoint().metadata());
            for (String key : new String[] {Checkpoint.KEY_FORMAT, Checkpoint.KEY_FORMAT_VERSION, Checkpoint.KEY_KIND,
                    Checkpoint.KEY_ARCHITECTURE}) {
                record.remove(key);
            }
            if (chosen != ImportPreset.FLOWBENCH || !record.containsKey(Checkpoint.KEY_SOURCE)) {
                record.put(Checkpoint.KEY_SOURCE, source);
            }
            if (target != null) {
                record.put(Checkpoint.KEY_TARGET, target);
            }
            record.putIfAbsent(CheckpointImport.KEY_IMPORTED_FROM, in.getFileName().toString());
            record.putIfAbsent(CheckpointImport.KEY_IMPORT_PRESET, chosen.id());
            checkpointFile.write(Safetensors.toBytes(FlowModelFile.toCheckpoint(architecture, loaded.model().parameterValues(),
                    loaded.kind(), new LinkedHashMap<>(record))));
            stdout.printf(Locale.ROOT, "architecture %s%n", architecture.spec());
            stdout.printf(Locale.ROOT, "parameters %d%n", architecture.parameterCount());
            stdout.printf(Locale.ROOT, "checkpoint %s%n", out);
            stdout.flush();
        }
        return 0;
    }
}
