package org.flowbench.app.cli;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.nn.FlowModelFile;
import org.flowbench.compute.ode.IntegrationMonitor;
import org.flowbench.compute.ode.Recording;
import org.flowbench.compute.train.PairSimulator;
import org.flowbench.compute.train.Reflow;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** How reflow and distill carry noise through a loaded model (the rest is {@code Reflow.rectify}). */
final class FlowReflowSupport {

    private FlowReflowSupport() {
    }

    /** The model's flow from t = 0 to 1 with the chosen solver; says on stderr what it will simulate. */
    static PairSimulator simulator(FlowModelFile.Loaded model, FlowModels.Integration integration, int count, PrintWriter err) {
        err.printf(Locale.ROOT, "simulating %d reflow pairs with %s%n", count, integration.description());
        err.flush();
        return (z0, n) -> integration.solver()
                .integrate(model.model(), z0, n, integration.grid(), Recording.NONE, IntegrationMonitor.NONE).finalState();
    }

    /**
     * One round of {@code Reflow.rectify} on {@code model} (read from {@code modelFile}): its pairs
     * simulated with {@code integration}, training progress on stderr as a bar named {@code label}.
     */
    static Reflow.Child rectify(ComputeDevice device, FlowModelFile.Loaded model, Path modelFile, FlowModels.Integration integration,
                                Reflow.Plan plan, String label, PrintWriter err) {
        return Reflow.rectify(device, model.model().architecture(), model.model().parameterValues(), model.checkpoint().metadata(),
                FlowModels.source(model), simulator(model, integration, plan.pairs(), err), plan, modelFile.getFileName().toString(),
                new FlowProgressBar(err, label), null);
    }
}
