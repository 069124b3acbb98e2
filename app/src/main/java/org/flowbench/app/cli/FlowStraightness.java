package org.flowbench.app.cli;

import org.flowbench.compute.metrics.FlowMetrics;
import org.flowbench.compute.nn.FlowModelFile;
import org.flowbench.compute.ode.IntegrationMonitor;
import org.flowbench.compute.ode.OdeResult;
import org.flowbench.compute.ode.Recording;
import org.flowbench.compute.ode.Solvers;
import org.flowbench.compute.ode.TimeGrid;
import org.flowbench.compute.train.Reflow;

/** Straightness of a model's flow on a fixed protocol, so rounds of reflow compare like with like. */
final class FlowStraightness {

    /** Particles simulated for the report. */
    static final int DEFAULT_PARTICLES = 1000;
    /** Euler steps of the report's simulation (every step recorded). */
    static final int STEPS = 100;

    private FlowStraightness() {
    }

    record Report(double straightness, double pathEnergy) {
    }

    /** Euler with {@value #STEPS} steps from fresh source noise, every step recorded. */
    static Report measure(FlowModelFile.Loaded model, int particles, long seed) {
        float[] z0 = FlowModels.source(model).sample(particles, Reflow.roundSeed(seed, 1000));
        OdeResult result = Solvers.byName("euler").integrate(model.model(), z0, particles, TimeGrid.forward(STEPS),
                Recording.first(particles, 1, false), IntegrationMonitor.NONE);
        return new Report(FlowMetrics.straightness(result.trajectory()), FlowMetrics.pathEnergy(result.trajectory()));
    }
}
