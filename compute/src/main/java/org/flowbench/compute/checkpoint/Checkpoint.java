package org.flowbench.compute.checkpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The contents of one checkpoint file: string metadata and named tensors in file order.
 * Flowbench writes the keys named here into safetensors' {@code __metadata__}; files from
 * elsewhere (PyTorch, NumPy) may carry none of them.
 */
public final class Checkpoint {

    /** Marks a file written by Flowbench; its value is {@link #FORMAT_FLOWBENCH}. */
    public static final String KEY_FORMAT = "format";
    public static final String FORMAT_FLOWBENCH = "flowbench";
    /** Version of Flowbench's metadata layout. */
    public static final String KEY_FORMAT_VERSION = "flowbench_version";
    /** What the tensors are, e.g. {@code velocity-mlp} or {@code one-step-generator}. */
    public static final String KEY_KIND = "kind";
    /** Canonical description of the network that the tensors belong to. */
    public static final String KEY_ARCHITECTURE = "architecture";
    public static final String KEY_PATH = "path";
    public static final String KEY_COUPLING = "coupling";
    public static final String KEY_SOURCE = "source";
    public static final String KEY_TARGET = "target";
    /** Training configuration as one JSON object in a string. */
    public static final String KEY_TRAINING = "training";
    /** 1 for a model trained on data pairs, k+1 after k rounds of reflow. */
    public static final String KEY_REFLOW_ROUND = "reflow_round";
    public static final String KEY_SEED = "seed";

    private final Path file;
    private final Map<String, String> metadata;
    private final Map<String, Tensor> tensors;

    public Checkpoint(Map<String, String> metadata, List<Tensor> tensors) {
        this(null, metadata, tensors);
    }

    Checkpoint(Path file, Map<String, String> metadata, List<Tensor> tensors) {
        this.file = file;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            if (byName.put(t.name(), t) != null) {
                throw new IllegalArgumentException("duplicate tensor name '" + t.name() + "'");
            }
        }
        this.tensors = Collections.unmodifiableMap(byName);
    }

    /** The file this was read from, or null for one built in memory. */
    public Path file() {
        return file;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public List<Tensor> tensorList() {
        return new ArrayList<>(tensors.values());
    }

    public boolean isFlowbench() {
        return FORMAT_FLOWBENCH.equals(metadata.get(KEY_FORMAT));
    }

    /** A metadata value that must be there. */
    public String require(String key) throws CheckpointFormatException {
        String value = metadata.get(key);
        if (value == null) {
            throw new CheckpointFormatException(file, "metadata has no '" + key + "' entry"
                    + (isFlowbench() ? "" : " (not a Flowbench checkpoint)"));
        }
        return value;
    }

    /** Checks that the file holds a checkpoint of one of the given kinds. */
    public Checkpoint requireKind(String... kinds) throws CheckpointFormatException {
        String kind = metadata.get(KEY_KIND);
        if (kind == null) {
            throw new CheckpointFormatException(file, "not a Flowbench checkpoint: metadata names no kind (expected "
                    + String.join(" or ", kinds) + ")");
        }
        if (!Arrays.asList(kinds).contains(kind)) {
            throw new CheckpointFormatException(file, "checkpoint of kind '" + kind + "', expected "
                    + String.join(" or ", kinds));
        }
        return this;
    }

    /** The tensor with this name and shape, or a one-line error naming what is wrong. */
    public Tensor tensor(String name, int... shape) throws CheckpointFormatException {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new CheckpointFormatException(file, "no tensor named '" + name + "'");
        }
        if (shape.length > 0 && !Arrays.equals(t.shape(), shape)) {
            throw new CheckpointFormatException(file, "tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(shape));
        }
        return t;
    }

    /** Same metadata and bit-identical tensors in the same order. */
    public boolean bitEquals(Checkpoint other) {
        if (!metadata.equals(other.metadata) || !List.copyOf(tensors.keySet()).equals(List.copyOf(other.tensors.keySet()))) {
            return false;
        }
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (!e.getValue().bitEquals(other.tensors.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** A copy with more metadata entries (later ones win). */
    public Checkpoint withMetadata(Map<String, String> more) {
        Map<String, String> merged = new LinkedHashMap<>(metadata);
        merged.putAll(Objects.requireNonNull(more));
        return new Checkpoint(file, merged, tensorList());
    }
}
