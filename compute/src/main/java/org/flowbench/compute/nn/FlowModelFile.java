package org.flowbench.compute.nn;

import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.CheckpointFormatException;
import org.flowbench.compute.checkpoint.Checkpoints;
import org.flowbench.compute.checkpoint.Safetensors;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Velocity models in checkpoint files. Flowbench writes safetensors with {@code kind},
 * {@code architecture} and the training record in {@code __metadata__}; it reads those back, and
 * also torchcfm-style PyTorch exports ({@code net.0.weight} ... without Flowbench metadata) when
 * the caller names the activation and time embedding they were trained with.
 */
public final class FlowModelFile {

    /** A velocity field v(x, t) integrated by an ODE solver. */
    public static final String KIND_VELOCITY = "velocity-mlp";
    /** A one-step generator z1 = z0 + v(z0, 0): the same network evaluated once at t = 0. */
    public static final String KIND_ONE_STEP = "one-step-generator";
    public static final String FORMAT_VERSION = "1";

    /** A model read from a file with what the file says about it. */
    public record Loaded(VelocityMlp model, String kind, Checkpoint checkpoint) implements AutoCloseable {
        public boolean isOneStep() {
            return KIND_ONE_STEP.equals(kind);
        }

        public String metadata(String key, String fallback) {
            return checkpoint.metadata().getOrDefault(key, fallback);
        }

        @Override
        public void close() {
            model.close();
        }
    }

    private FlowModelFile() {
    }

    /**
     * The checkpoint of a model: its tensors, {@code format}, {@code kind}, {@code architecture}
     * and the given entries (path, coupling, source, target, training, reflow_round, seed...),
     * keys sorted so the same model and record give the same bytes.
     */
    public static Checkpoint toCheckpoint(MlpArchitecture architecture, float[] parameters, String kind, Map<String, String> record) {
        Map<String, String> metadata = new TreeMap<>(record);
        metadata.put(Checkpoint.KEY_FORMAT, Checkpoint.FORMAT_FLOWBENCH);
        metadata.put(Checkpoint.KEY_FORMAT_VERSION, FORMAT_VERSION);
        metadata.put(Checkpoint.KEY_KIND, kind);
        metadata.put(Checkpoint.KEY_ARCHITECTURE, architecture.spec());
        return new Checkpoint(new LinkedHashMap<>(metadata), VelocityMlp.toTensors(architecture, parameters));
    }

    /** Writes a model atomically as safetensors. */
    public static void save(Path file, MlpArchitecture architecture, float[] parameters, String kind, Map<String, String> record)
            throws IOException {
        Safetensors.write(file, toCheckpoint(architecture, parameters, kind, record));
    }

    /** Reads a Flowbench model of one of the given kinds (both when none are named) onto a device. */
    public static Loaded load(ComputeDevice device, Path file, String... kinds) throws IOException {
        Checkpoint checkpoint = Checkpoints.load(file);
        checkpoint.requireKind(kinds.length == 0 ? new String[] {KIND_VELOCITY, KIND_ONE_STEP} : kinds);
        String kind = checkpoint.require(Checkpoint.KEY_KIND);
        MlpArchitecture architecture;
        try {
            architecture = MlpArchitecture.parse(checkpoint.require(Checkpoint.KEY_ARCHITECTURE));
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, e.getMessage());
        }
        return new Loaded(fromTensors(device, file, architecture, checkpoint), kind, checkpoint);
    }

    /**
     * Reads a PyTorch export of torchcfm's {@code MLP} (Linear layers {@code net.0}, {@code net.2},
     * ...; input [x, t]) or any stack of Linear layers named that way. Hidden widths come from the
     * tensor shapes; the activation and time embedding must be given since the file does not say.
     */
    public static Loaded importLinearStack(ComputeDevice device, Path file, Activation activation, TimeEmbedding time)
            throws IOException {
        Checkpoint checkpoint = Checkpoints.load(file);
        int layers = 0;
        while (checkpoint.tensors().containsKey(VelocityMlp.weightName(layers))) {
            layers++;
        }
        if (layers == 0) {
            throw new CheckpointFormatException(file, "no tensor named '" + VelocityMlp.weightName(0)
                    + "': not a stack of Linear layers named net.0, net.2, ...");
        }
        int[] hidden = new int[layers - 1];
        for (int l = 0; l < layers - 1; l++) {
            hidden[l] = checkpoint.tensor(VelocityMlp.weightName(l)).dim(0);
        }
        var first = checkpoint.tensor(VelocityMlp.weightName(0));
        var last = checkpoint.tensor(VelocityMlp.weightName(layers - 1));
        if (first.rank() != 2 || last.rank() != 2) {
            throw new CheckpointFormatException(file, "Linear weights must be matrices [out, in]");
        }
        int inputDim = first.dim(1) - time.dimension();
        MlpArchitecture architecture;
        try {
            architecture = new MlpArchitecture(inputDim, last.dim(0), time, hidden, activation);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, "layer shapes do not fit time embedding " + time.spec() + ": " + e.getMessage());
        }
        return new Loaded(fromTensors(device, file, architecture, checkpoint), KIND_VELOCITY, checkpoint);
    }

    private static VelocityMlp fromTensors(ComputeDevice device, Path file, MlpArchitecture architecture, Checkpoint checkpoint)
            throws CheckpointFormatException {
        float[] parameters;
        try {
            parameters = VelocityMlp.fromTensors(architecture, checkpoint.tensors());
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, e.getMessage());
        }
        for (int i = 0; i < parameters.length; i++) {
            if (!Float.isFinite(parameters[i])) {
                throw new CheckpointFormatException(file, "parameter " + i + " is not finite");
            }
        }
        return VelocityMlp.withParameters(device, architecture, parameters);
    }
}
