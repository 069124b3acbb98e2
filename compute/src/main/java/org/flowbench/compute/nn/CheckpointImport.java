package org.flowbench.compute.nn;

import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.CheckpointFormatException;
import org.flowbench.compute.checkpoint.CheckpointIndex;
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
import java.util.regex.Matcher;

import static org.flowbench.compute.io.MessageText.abbreviate;

/**
 * Velocity MLPs from PyTorch state dicts (safetensors or NumPy {@code .npz}, F32, F16, BF16 or
 * F64) named as an {@link ImportPreset} says. The layer widths, the data dimension and the layer
 * order come from the tensor names and shapes; the activation and time embedding come from the
 * preset unless the caller overrides them. Shapes are checked against one another from the file's
 * header before any tensor is read, and only the layers' tensors are read.
 */
public final class CheckpointImport {

    /** Metadata key: the file a model was imported from. */
    public static final String KEY_IMPORTED_FROM = "imported_from";
    /** Metadata key: the preset it was imported with. */
    public static final String KEY_IMPORT_PRESET = "import_preset";
    /** Metadata key: the element type the file stored (F32, F16, BF16, F64). */
    public static final String KEY_STORED_TYPE = "stored_type";

    /** PyTorch's DataParallel and DistributedDataParallel save every name with this prefix. */
    private static final String PARALLEL_PREFIX = "module.";

    private CheckpointImport() {
    }

    /** What an import found: the architecture and, per Flowbench layer, the file's weight and bias names. */
    public record Plan(MlpArchitecture architecture, List<String> weights, List<String> biases, String storedType) {
        public Plan {
            weights = List.copyOf(weights);
            biases = List.copyOf(biases);
        }
    }

    /**
     * Reads a model with a preset; {@code activation} and {@code time} replace the preset's when
     * not null. {@link ImportPreset#FLOWBENCH} reads a Flowbench checkpoint as {@link FlowModelFile#load} does.
     */
    public static FlowModelFile.Loaded load(ComputeDevice device, Path file, ImportPreset preset, Activation activation,
                                            TimeEmbedding time) throws IOException {
        CheckpointIndex index = CheckpointIndex.open(file);
        if (preset == ImportPreset.FLOWBENCH) {
            if (activation != null || time != null) {
                throw new IllegalArgumentException("the flowbench preset takes the activation and time embedding from the file");
            }
            return FlowModelFile.load(device, index);
        }
        Plan plan = plan(index, preset, activation, time);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int l = 0; l < plan.architecture().layers(); l++) {
            tensors.put(VelocityMlp.weightName(l), renamed(index.read(plan.weights().get(l)), VelocityMlp.weightName(l)));
            tensors.put(VelocityMlp.biasName(l), renamed(index.read(plan.biases().get(l)), VelocityMlp.biasName(l)));
        }
        // The foreign file's own metadata (PyTorch writes {"format": "pt"}) says nothing Flowbench uses.
        Map<String, String> metadata = new TreeMap<>();
        metadata.put(KEY_IMPORTED_FROM, file.getFileName().toString());
        metadata.put(KEY_IMPORT_PRESET, preset.id());
        metadata.put(KEY_STORED_TYPE, plan.storedType());
        Checkpoint checkpoint = FlowModelFile.toCheckpoint(plan.architecture(), FlowModelFile.parameters(file, plan.architecture(), tensors),
                FlowModelFile.KIND_VELOCITY, metadata);
        return FlowModelFile.loaded(device, file, checkpoint);
    }

    /**
     * Infers the architecture from the tensor names and shapes in the file's header alone.
     *
     * @throws CheckpointFormatException naming the file and the tensor when the layout does not fit the preset
     */
    public static Plan plan(CheckpointIndex index, ImportPreset preset, Activation activation, TimeEmbedding time)
            throws CheckpointFormatException {
        Path file = index.file();
        if (preset == ImportPreset.FLOWBENCH) {
            throw new IllegalArgumentException("the flowbench preset has no layer layout to infer");
        }
        Activation act = activation != null ? activation : preset.activation();
        TimeEmbedding timeEmbedding = time != null ? time : preset.time();
        boolean parallel = !index.entries().isEmpty()
                && index.entries().keySet().stream().allMatch(n -> n.startsWith(PARALLEL_PREFIX));
        TreeMap<Integer, String[]> layers = new TreeMap<>(); // position -> {weight name, bias name}
        List<String> foreign = new ArrayList<>();
        for (String name : index.entries().keySet()) {
            String local = parallel ? name.substring(PARALLEL_PREFIX.length()) : name;
            int dot = local.lastIndexOf('.');
            Matcher m = dot < 0 ? null : preset.layerPattern().matcher(local.substring(0, dot));
            String part = dot < 0 ? "" : local.substring(dot + 1);
            if (m == null || !m.matches() || !(part.equals("weight") || part.equals("bias")) || m.group(1).length() > 6) {
                foreign.add(name);
                continue;
            }
            String[] pair = layers.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new String[2]);
            pair[part.equals("weight") ? 0 : 1] = name;
        }
        if (!foreign.isEmpty()) {
            throw new CheckpointFormatException(file, "tensor '" + abbreviate(foreign.get(0)) + "'"
                    + (foreign.size() > 1 ? " (and " + (foreign.size() - 1) + " more)" : "") + " is not a Linear layer of a "
                    + preset.id() + " (" + preset.layerNames() + ".weight and " + preset.layerNames() + ".bias)");
        }
        if (layers.isEmpty()) {
            throw new CheckpointFormatException(file, "no Linear layers named " + preset.layerNames() + ".weight: not a "
                    + preset.id() + " state dict");
        }
        if (layers.size() > MlpArchitecture.MAX_DEPTH + 1) {
            throw new CheckpointFormatException(file, layers.size() + " Linear layers, more than the " + (MlpArchitecture.MAX_DEPTH + 1)
                    + " an MLP may have");
        }
        List<String> weights = new ArrayList<>();
        List<String> biases = new ArrayList<>();
        int[] widths = new int[layers.size()];
        int inputWidth = -1;
        String storedType = null;
        int l = 0;
        for (Map.Entry<Integer, String[]> layer : layers.entrySet()) {
            String weightName = layer.getValue()[0];
            String biasName = layer.getValue()[1];
            if (weightName == null || biasName == null) {
                throw new CheckpointFormatException(file, "layer " + abbreviate(weightName != null ? weightName : biasName)
                        + " has no " + (weightName == null ? "weight" : "bias") + " (Linear layers need both)");
            }
            CheckpointIndex.Entry w = index.entry(weightName);
            CheckpointIndex.Entry b = index.entry(biasName);
            if (w.rank() != 2) {
                throw new CheckpointFormatException(file, "tensor '" + abbreviate(weightName) + "' has shape " + Arrays.toString(w.shape())
                        + ", not a Linear weight [out, in]");
            }
            if (b.rank() != 1 || b.dim(0) != w.dim(0)) {
                throw new CheckpointFormatException(file, "tensor '" + abbreviate(biasName) + "' has shape " + Arrays.toString(b.shape())
                        + " but its weight '" + abbreviate(weightName) + "' has " + w.dim(0) + " outputs");
            }
            if (l == 0) {
                inputWidth = w.dim(1);
            } else if (w.dim(1) != widths[l - 1]) {
                throw new CheckpointFormatException(file, "tensor '" + abbreviate(weightName) + "' takes " + w.dim(1)
                        + " inputs but the layer before gives " + widths[l - 1]);
            }
            widths[l] = w.dim(0);
            storedType = storedType == null || storedType.equals(w.storedType()) ? w.storedType() : "mixed";
            weights.add(weightName);
            biases.add(biasName);
            l++;
        }
        int dataDim = inputWidth - timeEmbedding.dimension();
        int outputDim = widths[widths.length - 1];
        if (dataDim < 1 || dataDim != outputDim) {
            throw new CheckpointFormatException(file, "layer shapes do not fit time embedding " + timeEmbedding.spec() + ": the first layer takes "
                    + inputWidth + " inputs, so x would have " + dataDim + " dimensions, but the last layer gives " + outputDim
                    + " (a velocity field's output has x's dimension)");
        }
        try {
            MlpArchitecture architecture = new MlpArchitecture(dataDim, outputDim, timeEmbedding,
                    Arrays.copyOf(widths, widths.length - 1), act);
            return new Plan(architecture, weights, biases, storedType);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, e.getMessage());
        }
    }

    private static Tensor renamed(Tensor t, String name) {
        return new Tensor(name, t.shape(), t.data(), t.storedType());
    }
}
