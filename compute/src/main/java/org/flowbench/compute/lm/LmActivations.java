package org.flowbench.compute.lm;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.ComputeDevice;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The residual stream of stored weights, token by token and channel by channel: one forward pass
 * of a run's parameters on one batch, giving |x| per token and channel at every layer (the
 * "massive activations" of Pre-LN models show as a few channels far above the rest).
 *
 * @param config the model
 * @param tokens the tokens of the batch, {@code [rows]}
 * @param rows   tokens in the batch (batch * seq)
 * @param abs    per layer 0..L, {@code |x|} as {@code [rows*width]}
 */
public record LmActivations(LmConfig config, int[] tokens, int rows, float[][] abs) {

    private static final Pattern COPY_OR_REVERSE = Pattern.compile("(copy|reverse) of length (\\d{1,9})");
    private static final Pattern MODADD = Pattern.compile("modadd mod (\\d{1,9})");

    /** |x| at {@code layer} of token {@code row}, channel {@code channel}. */
    public float at(int layer, int row, int channel) {
        return abs[layer][row * config.width() + channel];
    }

    /** The largest |x| at {@code layer}. */
    public float max(int layer) {
        float m = 0;
        for (float v : abs[layer]) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** One forward pass of {@code parameters} (a model without running statistics) on {@code batch}. */
    public static LmActivations measure(ComputeDevice device, LmConfig config, float[] parameters, LmBatch batch) {
        return measure(device, config, parameters, LmNormStatistics.none(), batch);
    }

    /**
     * One forward pass of {@code parameters} on {@code batch}. With running statistics the model
     * runs in evaluation mode, as at inference; batch and power norms without them (a run file
     * from before they were stored) normalise with the statistics of this batch instead, which
     * are closer to the trained model than the initial ones. LayerNorm and RMSNorm are the same
     * either way.
     */
    public static LmActivations measure(ComputeDevice device, LmConfig config, float[] parameters,
                                        LmNormStatistics statistics, LmBatch batch) {
        try (TransformerLm model = new TransformerLm(device, config, parameters)) {
            model.setNormStatistics(statistics);
            model.setTraining(statistics.isEmpty());
            model.forward(batch.tokens(), batch.targets(), batch.batch(), batch.seq());
            float[][] abs = new float[config.layers() + 1][];
            for (int l = 0; l <= config.layers(); l++) {
                float[] x = model.residual(l);
                for (int i = 0; i < x.length; i++) {
                    x[i] = Math.abs(x[i]);
                }
                abs[l] = x;
            }
            return new LmActivations(config, batch.tokens().clone(), model.rows(), abs);
        }
    }

    /**
     * A batch like the ones a run trained on: its synthetic task when the run file's data
     * description names one ({@link SyntheticTask#describe()}), otherwise uniformly random tokens
     * of the model's vocabulary over its whole context.
     */
    public static LmBatch batchFor(LmConfig config, String dataDescription, int sequences, long seed) {
        SeededRandom rnd = new SeededRandom(seed);
        String d = dataDescription == null ? "" : dataDescription.strip();
        Matcher m = COPY_OR_REVERSE.matcher(d);
        Matcher a = MODADD.matcher(d);
        SyntheticTask task = null;
        try {
            if (m.matches()) {
                task = new SyntheticTask(SyntheticTask.parseKind(m.group(1)), Integer.parseInt(m.group(2)));
            } else if (a.matches()) {
                task = new SyntheticTask(SyntheticTask.Kind.MODADD, Integer.parseInt(a.group(1)));
            }
        } catch (IllegalArgumentException outOfRange) {
            // A description naming a task no run can have (a length of 0 or of 20 digits) is not that task.
            task = null;
        }
        if (task != null && task.vocab() == config.vocab() && task.seq() <= config.context()) {
            return task.next(sequences, rnd);
        }
        int seq = config.context();
        int[] tokens = new int[sequences * seq];
        int[] targets = new int[sequences * seq];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rnd.nextInt(config.vocab());
            targets[i] = -1;
        }
        return new LmBatch(tokens, targets, sequences, seq);
    }
}
