package org.flowbench.views.trajectories;

import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.ode.Solvers;
import org.flowbench.compute.train.FlowMatchingTrainer;
import org.flowbench.compute.train.Loss;
import org.flowbench.compute.train.OptimizerConfig;
import org.flowbench.compute.train.Reflow;
import org.flowbench.compute.train.TimestepDistribution;
import org.flowbench.views.params.LabParameters;
import org.flowbench.views.params.Parameter;

import java.util.ArrayList;
import java.util.List;

/**
 * The Trajectories lab's parameters, in three groups: how the panels are sampled (a change
 * samples again), how they are drawn (a change only redraws), and how Train, Reflow and Distill
 * train. Limits live here and in {@link SamplingSettings}, nowhere else.
 */
final class TrajectoriesParameters {

    /** The Train target that means "the points sketched on the canvas". */
    static final String DRAWN = "drawn";

    final Parameter<Integer> particles = Parameter.integer("particles", "Particles", "Sampling",
            "Number of noise samples carried by both models (the same noise on both sides)", 2000, 1, SamplingSettings.MAX_PARTICLES);
    final Parameter<String> solver = Parameter.oneOf("solver", "Solver", "Sampling",
            "ODE solver: Euler (1 NFE per step), midpoint and Heun (2), RK4 (4), adaptive dopri5", Solvers.names(), "euler");
    final Parameter<Integer> steps = Parameter.integer("steps", "Steps", "Sampling",
            "Solver steps from t = 0 to t = 1 (the grid dopri5 must land on)", 8, 1, SamplingSettings.MAX_STEPS);
    final Parameter<Double> tolerance = Parameter.real("tolerance", "dopri5 tolerance", "Sampling",
            "Absolute and relative tolerance of the adaptive dopri5 solver", 1e-5, 1e-10, 0.1);
    final Parameter<String> schedule = Parameter.oneOf("schedule", "Schedule", "Sampling",
            "Time grid: uniform steps, or BOSS (Bellman-optimal steps measured on each model)",
            List.of(SamplingSettings.UNIFORM, SamplingSettings.BOSS), SamplingSettings.UNIFORM);
    final Parameter<Integer> traced = Parameter.integer("traced", "Traced paths", "Drawing",
            "How many particles are drawn with their whole path and stage points", 150, 0, 2000);
    final Parameter<Long> seed = Parameter.seed("seed", "Seed", "Sampling",
            "Seed of the noise: the same seed gives the same picture", 7);
    final Parameter<Boolean> showField = flag("field", "Velocity field", "Arrows of v(x, t) at the current time", false);
    final Parameter<Boolean> showCoupling = flag("coupling", "Coupling lines",
            "Dashed lines from each traced x0 to where the model sends it", false);
    final Parameter<Boolean> showStages = flag("stages", "Stage points",
            "Where a multi-stage solver evaluated v during the step just taken (when stepping)", true);
    final Parameter<Integer> trainSteps = Parameter.integer("trainSteps", "Training steps", "Training",
            "Optimiser steps of Train, Reflow and Distill", 2000, 10, 200_000);
    final Parameter<String> trainTarget = Parameter.oneOf("trainTarget", "Train target", "Training",
            "Target distribution of Train (the source is N(0, I)); 'drawn' uses the points sketched on the canvas",
            withDrawn(Datasets.names()), "moons");
    final Parameter<String> trainTime = Parameter.oneOf("trainTime", "Time distribution", "Training",
            "Timestep distribution of training: uniform, logit-normal(0, 1), or the U-shaped cosh density of Lee et al. 2024",
            List.of("uniform", "logit-normal", "u-shaped"), "uniform");
    final Parameter<Double> uShapedA = Parameter.real("uShapedA", "U-shaped a", "Training",
            "Parameter a of the U-shaped time distribution, density proportional to cosh(a (t - 1/2)): larger a, more weight at both ends",
            4.0, 0.1, 50.0);
    final Parameter<String> trainCoupling = Parameter.oneOf("trainCoupling", "Coupling", "Training",
            "How Train pairs source and target points: independently, or by minibatch exact OT",
            List.of("independent", "ot"), "independent");

    /** A change of these samples the panels again. */
    final List<Parameter<?>> sampling = List.of(particles, solver, steps, tolerance, schedule, traced, seed);
    /** A change of these only redraws. */
    final List<Parameter<?>> drawing = List.of(showField, showCoupling, showStages);

    final LabParameters all = new LabParameters(List.of(particles, solver, steps, tolerance, schedule,
            traced, seed, showField, showCoupling, showStages, trainSteps, trainTarget, trainTime, uShapedA, trainCoupling));

    private static Parameter<Boolean> flag(String key, String label, String help, boolean initial) {
        return Parameter.of(key, label, "Drawing", help, Boolean.class, initial, v -> v == null ? "required" : null);
    }

    private static List<String> withDrawn(List<String> names) {
        List<String> all = new ArrayList<>(names);
        all.add(DRAWN);
        return all;
    }

    SamplingSettings sampling() {
        return new SamplingSettings(solver.get(), steps.get(), tolerance.get(), schedule.get(), particles.get(),
                traced.get(), seed.get());
    }

    TrajectoriesFigure.Options drawingOptions() {
        return new TrajectoriesFigure.Options(showField.get(), showCoupling.get(), showStages.get(), true);
    }

    /** The training timestep distribution the parameters describe. */
    TimestepDistribution timestepDistribution() {
        return TimestepDistribution.parse("u-shaped".equals(trainTime.get()) ? "u-shaped:" + uShapedA.get() : trainTime.get());
    }

    FlowMatchingTrainer.Settings trainer(boolean distill) {
        FlowMatchingTrainer.Settings settings = new FlowMatchingTrainer.Settings(trainSteps.get(), 256,
                OptimizerConfig.adamW(1e-3), timestepDistribution(), Loss.parse("l2"), 0.0, seed.get());
        return distill ? Reflow.distillationSettings(settings) : settings;
    }
}
