package org.flowbench.compute.nn;

import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.CheckpointFormatException;
import org.flowbench.compute.checkpoint.CheckpointIndex;
import org.flowbench.compute.checkpoint.Safetensors;
import org.flowbench.compute.checkpoint.Tensor;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.flowbench.compute.io.MessageText.abbreviate;

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
        return load(device, CheckpointIndex.open(file), kinds);
    }

    /**
     * Reads a Flowbench model from an indexed file: the kind and architecture in the metadata are
     * checked against the tensors' names and shapes before anything is allocated, and only the
     * model's tensors are read.
     */
    public static Loaded load(ComputeDevice device, CheckpointIndex index, String... kinds) throws IOException {
        Path file = index.file();
        Checkpoint header = index.metadataOnly();
        header.requireKind(kinds.length == 0 ? new String[] {KIND_VELOCITY, KIND_ONE_STEP} : kinds);
        String kind = header.require(Checkpoint.KEY_KIND);
        MlpArchitecture architecture;
        try {
            architecture = MlpArchitecture.parse(header.require(Checkpoint.KEY_ARCHITECTURE));
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, e.getMessage());
        }
        List<String> names = new ArrayList<>();
        for (int l = 0; l < architecture.layers(); l++) {
            checkShape(index, VelocityMlp.weightName(l), architecture.fanOut(l), architecture.fanIn(l));
            checkShape(index, VelocityMlp.biasName(l), architecture.fanOut(l));
            names.add(VelocityMlp.weightName(l));
            names.add(VelocityMlp.biasName(l));
        }
        if (index.entries().size() != names.size()) {
            String extra = index.entries().keySet().stream().filter(n -> !names.contains(n)).findFirst().orElse("?");
            throw new CheckpointFormatException(file, "architecture " + architecture.spec() + " has " + names.size()
                    + " tensors but the file holds " + index.entries().size() + " (e.g. '" + abbreviate(extra) + "')");
        }
        Checkpoint checkpoint = index.read(names);
        float[] parameters = parameters(file, architecture, checkpoint.tensors());
        return new Loaded(VelocityMlp.withParameters(device, architecture, parameters), kind, checkpoint);
    }

    /** A model held in memory as a Flowbench checkpoint (e.g. one just imported), uploaded to a device. */
    static Loaded loaded(ComputeDevice device, Path file, Checkpoint checkpoint) throws IOException {
        MlpArchitecture architecture;
        try {
            architecture = MlpArchitecture.parse(checkpoint.require(Checkpoint.KEY_ARCHITECTURE));
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, e.getMessage());
        }
        float[] parameters = parameters(file, architecture, checkpoint.tensors());
        return new Loaded(VelocityMlp.withParameters(device, architecture, parameters), checkpoint.require(Checkpoint.KEY_KIND), checkpoint);
    }

    /**
     * Reads a PyTorch export of torchcfm's {@code MLP} (Linear layers {@code net.0}, {@code net.2},
     * ...; input [x, t]) or any stack of Linear layers named that way. Hidden widths come from the
     * tensor shapes; the activation and time embedding must be given since the file does not say.
     */
    public static Loaded importLinearStack(ComputeDevice device, Path file, Activation activation, TimeEmbedding time)
            throws IOException {
        return CheckpointImport.load(device, file, ImportPreset.TORCHCFM_MLP, activation, time);
    }

    private static void checkShape(CheckpointIndex index, String name, int... shape) throws CheckpointFormatException {
        CheckpointIndex.Entry e = index.entries().get(name);
        if (e == null) {
            throw new CheckpointFormatException(index.file(), "no tensor named '" + name + "'");
        }
        if (!Arrays.equals(e.shape(), shape)) {
            throw new CheckpointFormatException(index.file(), "tensor '" + name + "' has shape " + Arrays.toString(e.shape())
                    + " but the architecture needs " + Arrays.toString(shape));
        }
    }

    /** The flat parameter vector of the tensors, each value finite; messages name the file and the tensor. */
    static float[] parameters(Path file, MlpArchitecture architecture, Map<String, Tensor> tensors) throws CheckpointFormatException {
        for (Tensor t : tensors.values()) {
            float[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                if (!Float.isFinite(d[i])) {
                    throw new CheckpointFormatException(file, "tensor '" + t.name() + "' value " + i + " is not finite (" + d[i] + ")");
                }
            }
        }
        try {
            return VelocityMlp.fromTensors(architecture, tensors);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, e.getMessage());
        }
    }
}
