package org.flowbench.app.cli;

import org.flowbench.compute.nn.FlowModelFile;
import org.flowbench.compute.ode.IntegrationMonitor;
import org.flowbench.compute.ode.Recording;
import org.flowbench.compute.train.PairSimulator;

import java.io.PrintWriter;
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
}
