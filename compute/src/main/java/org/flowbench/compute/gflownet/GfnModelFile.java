package org.flowbench.compute.gflownet;

import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.CheckpointFormatException;
import org.flowbench.compute.checkpoint.Checkpoints;
import org.flowbench.compute.checkpoint.Safetensors;
import org.flowbench.compute.checkpoint.Tensor;
import org.flowbench.compute.device.ComputeDevice;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * GFlowNets in checkpoint files: safetensors holding the network ({@code net.<2l>.weight},
 * {@code net.<2l>.bias}) and {@code log_z [1]}, with {@code kind = gflownet-policy}, the
 * {@code architecture}, the {@code environment}, the {@code loss}, the {@code training} record and
 * the {@code seed} in the metadata. Loading checks every entry and names the file and the entry
 * that is wrong.
 */
public final class GfnModelFile {

    public static final String KIND = "gflownet-policy";
    public static final String FORMAT_VERSION = "1";
    public static final String KEY_ENVIRONMENT = "environment";
    public static final String KEY_LOSS = "loss";
    public static final String LOG_Z = "log_z";

    private GfnModelFile() {
    }

    /** A model read from a file: its network (on the device), environment, objective and log Z. */
    public record Loaded(PolicyNetwork network, GfnEnvironment environment, Objective objective, double logZ,
                         Checkpoint checkpoint) implements AutoCloseable {

        public String metadata(String key, String fallback) {
            return checkpoint.metadata().getOrDefault(key, fallback);
        }

        @Override
        public void close() {
            network.close();
        }
    }

    /** The checkpoint of a trained run; keys sorted, so the same run gives the same bytes. */
    public static Checkpoint toCheckpoint(GfnTraining.Trained trained) {
        GfnTraining.Config config = trained.config();
        return toCheckpoint(Environments.parse(config.environment()), Objective.parse(config.loss()), trained.shape(),
                trained.parameters(), trained.logZ(), Map.of(Checkpoint.KEY_TRAINING, config.toJson(),
                        Checkpoint.KEY_SEED, Long.toString(config.seed())));
    }

    public static Checkpoint toCheckpoint(GfnEnvironment env, Objective objective, NetworkShape shape, float[] parameters,
                                          double logZ, Map<String, String> record) {
        Map<String, String> metadata = new TreeMap<>(record);
        metadata.put(Checkpoint.KEY_FORMAT, Checkpoint.FORMAT_FLOWBENCH);
        metadata.put(Checkpoint.KEY_FORMAT_VERSION, FORMAT_VERSION);
        metadata.put(Checkpoint.KEY_KIND, KIND);
        metadata.put(Checkpoint.KEY_ARCHITECTURE, shape.spec());
        metadata.put(KEY_ENVIRONMENT, env.spec());
        metadata.put(KEY_LOSS, objective.spec());
        List<Tensor> tensors = new ArrayList<>(PolicyNetwork.toTensors(shape, parameters));
        tensors.add(new Tensor(LOG_Z, new int[] {1}, new float[] {(float) logZ}));
        return new Checkpoint(new LinkedHashMap<>(metadata), tensors);
    }

    /** Writes a trained run atomically as safetensors. */
    public static void save(Path file, GfnTraining.Trained trained) throws IOException {
        Safetensors.write(file, toCheckpoint(trained));
    }

    /** Reads a GFlowNet onto a device; anything wrong in the file is a {@link CheckpointFormatException} naming it. */
    public static Loaded load(ComputeDevice device, Path file) throws IOException {
        Checkpoint checkpoint = Checkpoints.load(file);
        checkpoint.requireKind(KIND);
        GfnEnvironment env;
        Objective objective;
        NetworkShape shape;
        try {
            env = Environments.parse(checkpoint.require(KEY_ENVIRONMENT));
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, "metadata '" + KEY_ENVIRONMENT + "': " + e.getMessage());
        }
        try {
            objective = Objective.parse(checkpoint.require(KEY_LOSS));
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, "metadata '" + KEY_LOSS + "': " + e.getMessage());
        }
        try {
            shape = NetworkShape.parse(checkpoint.require(Checkpoint.KEY_ARCHITECTURE));
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, "metadata '" + Checkpoint.KEY_ARCHITECTURE + "': " + e.getMessage());
        }
        if (shape.inputs() != env.encodingWidth() || shape.actions() != env.actionCount()) {
            throw new CheckpointFormatException(file, "architecture " + shape.spec() + " does not fit environment " + env.spec());
        }
        float[] parameters;
        try {
            parameters = PolicyNetwork.fromTensors(shape, checkpoint.tensors());
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, e.getMessage());
        }
        for (int i = 0; i < parameters.length; i++) {
            if (!Float.isFinite(parameters[i])) {
                throw new CheckpointFormatException(file, "parameter " + i + " is not finite");
            }
        }
        float logZ = checkpoint.tensor(LOG_Z, 1).data()[0];
        if (!Float.isFinite(logZ)) {
            throw new CheckpointFormatException(file, "tensor '" + LOG_Z + "' is not finite");
        }
        if (checkpoint.tensors().size() != 2 * shape.layers() + 1) {
            throw new CheckpointFormatException(file, "expected " + (2 * shape.layers() + 1) + " tensors for " + shape.spec()
                    + ", the file holds " + checkpoint.tensors().size());
        }
        return new Loaded(PolicyNetwork.withParameters(device, shape, parameters), env, objective, logZ, checkpoint);
    }
}
