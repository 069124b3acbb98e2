package org.flowbench.app.cli;

import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.nn.FlowModelFile;
import org.flowbench.compute.ode.IntegrationMonitor;
import org.flowbench.compute.ode.Recording;
import org.flowbench.compute.train.PairSimulator;
import org.flowbench.compute.train.Reflow;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Making reflow pairs from a loaded model, shared by reflow and distill. */
final class FlowReflowSupport {

    /** Points simulated per solver call while making pairs (cancellation is checked between calls). */
    static final int PAIR_CHUNK = 4096;

    private FlowReflowSupport() {
    }

    static Reflow.Pairs pairs(FlowModelFile.Loaded model, FlowModels.Integration integration, int count, long seed, PrintWriter err) {
        PairSimulator simulator = (z0, n) -> integration.solver()
                .integrate(model.model(), z0, n, integration.grid(), Recording.NONE, IntegrationMonitor.NONE).finalState();
        err.printf(Locale.ROOT, "simulating %d reflow pairs with %s%n", count, integration.description());
        err.flush();
        return Reflow.pairs(FlowModels.source(model), simulator, count, seed, PAIR_CHUNK, null);
    }

    /** The record of a model trained on pairs of {@code parent}: source and target carried over, the rest said anew. */
    static Map<String, String> childRecord(FlowModelFile.Loaded parent, int round, long seed, String training) {
        Map<String, String> record = new LinkedHashMap<>();
        record.put(Checkpoint.KEY_SOURCE, parent.metadata(Checkpoint.KEY_SOURCE, "normal"));
        record.put(Checkpoint.KEY_TARGET, parent.metadata(Checkpoint.KEY_TARGET, "unknown"));
        record.put(Checkpoint.KEY_PATH, "rectified");
        record.put(Checkpoint.KEY_COUPLING, "reflow");
        record.put(Checkpoint.KEY_REFLOW_ROUND, Integer.toString(round));
        record.put(Checkpoint.KEY_SEED, Long.toString(seed));
        record.put(Checkpoint.KEY_TRAINING, training);
        return record;
    }
}
