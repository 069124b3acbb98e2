package org.flowbench.app.cli;

import org.flowbench.compute.train.FlowMatchingTrainer;
import org.flowbench.compute.train.Loss;
import org.flowbench.compute.train.OptimizerConfig;
import org.flowbench.compute.train.TimestepDistribution;
import picocli.CommandLine.Option;

/** Optimizer, minibatch, time distribution and loss options shared by train-flow, reflow and distill. */
public final class FlowTrainingOptions {

    @Option(names = "--steps", paramLabel = "N", defaultValue = "20000", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "128", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "1e-3", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--optimizer", paramLabel = "adam|adamw", defaultValue = "adamw", description = "Optimizer (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--weight-decay", paramLabel = "D", defaultValue = "0.01", description = "AdamW decoupled weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--time-dist", paramLabel = "uniform|logit-normal[:m,s]|u-shaped[:a]", defaultValue = "uniform",
            description = "Distribution of training times (default: ${DEFAULT-VALUE}).")
    String timeDistribution;

    @Option(names = "--loss", paramLabel = "l2|huber[:c]", defaultValue = "l2", description = "Regression loss (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--ema", paramLabel = "DECAY", defaultValue = "0", description = "EMA decay of the saved weights, 0 = off (default: ${DEFAULT-VALUE}).")
    double ema;

    /** Checked settings with the given seed. */
    FlowMatchingTrainer.Settings settings(long seed) {
        OptionChecks.atMost("--steps", steps, FlowMatchingTrainer.Settings.MAX_STEPS);
        OptionChecks.atMost("--batch", batch, FlowMatchingTrainer.Settings.MAX_BATCH);
        OptionChecks.positiveFinite("--lr", lr);
        OptionChecks.nonNegative("--weight-decay", weightDecay);
        if (!(ema == 0 || (ema > 0 && ema < 1))) {
            throw new IllegalArgumentException("--ema must be 0 (off) or in (0, 1), got " + ema);
        }
        OptimizerConfig optimizerConfig = optimizer.strip().equalsIgnoreCase("adam")
                ? OptimizerConfig.adam(lr) : OptimizerConfig.parse(optimizer, lr, weightDecay);
        return new FlowMatchingTrainer.Settings(steps, batch, optimizerConfig, TimestepDistribution.parse(timeDistribution),
                Loss.parse(loss), ema, seed);
    }
}
