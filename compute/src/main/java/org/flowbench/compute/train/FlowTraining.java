package org.flowbench.compute.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.data.Dataset;
import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.nn.MlpArchitecture;
import org.flowbench.compute.nn.VelocityMlp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One call from names to a trained model and the record its checkpoint keeps: what the
 * command line's train-flow and the labs' training jobs run.
 */
public final class FlowTraining {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FlowTraining() {
    }

    /**
     * Everything that decides a flow-matching run.
     *
     * @param sigma NaN for the path's default
     */
    public record Config(String source, String target, String coupling, String path, double sigma,
                         MlpArchitecture architecture, FlowMatchingTrainer.Settings settings) {
        public Config {
            Datasets.byName(source);
            Datasets.byName(target);
            coupling = TrainingPaths.canonicalCoupling(coupling);
            path = TrainingPaths.canonicalPath(path);
            if (TrainingPaths.probabilityPath(path, sigma).requiresGaussianSource() && !Datasets.byName(source).name().equals("normal")) {
                throw new IllegalArgumentException("path '" + path + "' needs the standard normal source, got '" + source + "'");
            }
        }
    }

    /** A trained model ready to save: architecture, parameters and the checkpoint record. */
    public record Trained(MlpArchitecture architecture, float[] parameters, Map<String, String> record,
                          FlowMatchingTrainer.Result result) {
    }

    public static Trained train(ComputeDevice device, Config config, TrainingProgress progress, BooleanSupplier cancelled) {
        Dataset source = Datasets.byName(config.source());
        Dataset target = Datasets.byName(config.target());
        PairBatches pairs = TrainingPaths.coupling(config.coupling(), source, target);
        ConditionalPath path = TrainingPaths.path(config.path(), config.sigma());
        FlowMatchingTrainer.Result result;
        try (VelocityMlp model = VelocityMlp.create(device, config.architecture(), initSeed(config.settings().seed()))) {
            result = new FlowMatchingTrainer(model, pairs, path, config.settings()).train(progress, cancelled);
        }
        Map<String, String> record = new LinkedHashMap<>();
        record.put(Checkpoint.KEY_PATH, config.path());
        record.put(Checkpoint.KEY_COUPLING, config.coupling());
        record.put(Checkpoint.KEY_SOURCE, source.name());
        record.put(Checkpoint.KEY_TARGET, target.name());
        record.put(Checkpoint.KEY_REFLOW_ROUND, "1");
        record.put(Checkpoint.KEY_SEED, Long.toString(config.settings().seed()));
        ObjectNode training = settingsJson(config.settings());
        training.put("sigma", TrainingPaths.effectiveSigma(config.path(), config.sigma()));
        training.put("final_loss", result.recentLoss(100));
        record.put(Checkpoint.KEY_TRAINING, training.toString());
        return new Trained(config.architecture(), result.parameters(), record, result);
    }

    /** The settings as a JSON object with a fixed key order. */
    public static ObjectNode settingsJson(FlowMatchingTrainer.Settings settings) {
        ObjectNode o = JSON.createObjectNode();
        o.put("steps", settings.steps());
        o.put("batch", settings.batch());
        o.put("optimizer", settings.optimizer().spec());
        o.put("lr", settings.optimizer().learningRate());
        o.put("weight_decay", settings.optimizer().weightDecay());
        o.put("time_distribution", settings.time().spec());
        o.put("loss", settings.loss().spec());
        o.put("ema", settings.emaDecay());
        o.put("seed", settings.seed());
        return o;
    }

    /** The seed of the initial weights, kept apart from the minibatch stream's. */
    public static long initSeed(long seed) {
        return seed * 0x9E3779B97F4A7C15L + 0x1F;
    }
}
