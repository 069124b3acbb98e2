package org.flowbench.compute.lm;

import org.flowbench.compute.device.ComputeDevice;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One probe of a GPT-2-style checkpoint on given tokens: the model reads at most its context of
 * them, each predicting the next (the last has no target), forward and backward, then
 * {@link LmProbes#measure} at step 0. Shared by the command line and the Depth page so that both
 * show the same numbers for the same file and tokens.
 */
public final class CheckpointProbe {

    private CheckpointProbe() {
    }

    /** The tokens the model reads: the first {@code context} of them. */
    public static int[] withinContext(LmConfig config, int[] tokens) {
        return Arrays.copyOf(tokens, Math.min(tokens.length, config.context()));
    }

    /** The UTF-8 bytes of {@code text} as token ids (the tokens of a 256-entry byte-level vocabulary). */
    public static int[] utf8Bytes(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xff;
        }
        return ids;
    }

    /**
     * Loads the checkpoint's weights on {@code device}, runs it on the first {@code context}
     * tokens forward and backward, and measures the step-0 probe.
     *
     * @throws IllegalArgumentException when there are no tokens or one is outside the vocabulary
     */
    public static LmProbe probe(Gpt2Checkpoint checkpoint, ComputeDevice device, int[] tokens) {
        LmConfig config = checkpoint.config();
        int[] ids = withinContext(config, tokens);
        if (ids.length == 0) {
            throw new IllegalArgumentException("no tokens to probe " + checkpoint.file().getFileName() + " on");
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= config.vocab()) {
                throw new IllegalArgumentException("token id " + ids[i] + " (item " + (i + 1)
                        + ") is outside the vocabulary [0, " + config.vocab() + ") of " + checkpoint.file().getFileName());
            }
        }
        int n = ids.length;
        int[] targets = new int[n];
        for (int i = 0; i < n; i++) {
            targets[i] = i + 1 < n ? ids[i + 1] : -1;
        }
        try (TransformerLm lm = checkpoint.open(device)) {
            double loss = lm.forward(ids, targets, 1, n);
            lm.backward();
            return LmProbes.measure(lm, 0, loss, null, null);
        }
    }
}
