package org.flowbench.app.cli.lm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flowbench.app.cli.DeviceOptions;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.lm.CheckpointProbe;
import org.flowbench.compute.lm.Gpt2Checkpoint;
import org.flowbench.compute.lm.LmConfig;
import org.flowbench.compute.lm.LmProbe;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.flowbench.compute.io.MessageText.abbreviate;

/**
 * norm-probe's options for a model trained elsewhere: a GPT-2 or nanoGPT checkpoint and the
 * tokens to run it on. {@code --text} is tokenized by the Hugging Face {@code tokenizer.json}
 * beside the checkpoint when there is one, else (for a 256-token vocabulary) its UTF-8 bytes are
 * the tokens; any vocabulary takes {@code --tokens} ids.
 */
public final class CheckpointProbeOptions {

    /** Most ids --tokens accepts; the model reads at most its context of them. */
    static final int MAX_TOKENS = 1 << 16;

    @Option(names = "--model", paramLabel = "FILE",
            description = "Probe a GPT-2 or nanoGPT checkpoint (safetensors) instead of fresh models; its heads come from "
                    + "config.json beside it, its metadata (n_head) or --heads.")
    Path model;

    @Option(names = "--text", paramLabel = "TEXT",
            description = "With --model: text, tokenized by the tokenizer.json beside the checkpoint, or else its UTF-8 "
                    + "bytes are the tokens (a model with a 256-token vocabulary).")
    String text;

    @Option(names = "--tokens", paramLabel = "IDS", description = "With --model: comma-separated token ids, e.g. 464,3290,318.")
    String tokens;

    boolean active() {
        return model != null;
    }

    /** Rejects --text and --tokens without --model. */
    void checkUnused() {
        if (model == null && (text != null || tokens != null)) {
            throw new IllegalArgumentException((text != null ? "--text" : "--tokens") + " is read only with --model");
        }
    }

    /** The ids of --text or --tokens, checked against the vocabulary; a one-line error otherwise. */
    static int[] tokenIds(String text, String tokens, int vocab) {
        if ((text == null) == (tokens == null)) {
            throw new IllegalArgumentException("--model needs the input as --text TEXT or --tokens IDS (one of them)");
        }
        if (text != null) {
            if (vocab != 256) {
                throw new IllegalArgumentException("--text needs a tokenizer.json beside the checkpoint or a byte-level "
                        + "model (256 tokens); this one has " + vocab + ": give the ids with --tokens");
            }
            int[] ids = CheckpointProbe.utf8Bytes(text);
            if (ids.length == 0) {
                throw new IllegalArgumentException("--text is empty");
            }
            return ids;
        }
        String[] parts = tokens.strip().split("\\s*,\\s*", -1);
        if (parts.length > MAX_TOKENS) {
            throw new IllegalArgumentException("--tokens has " + parts.length + " ids, more than " + MAX_TOKENS);
        }
        int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                ids[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--tokens: '" + abbreviate(parts[i]) + "' (item " + (i + 1)
                        + ") is not a token id");
            }
            if (ids[i] < 0 || ids[i] >= vocab) {
                throw new IllegalArgumentException("--tokens: id " + ids[i] + " (item " + (i + 1)
                        + ") is outside the vocabulary [0, " + vocab + ")");
            }
        }
        return ids;
    }

    /**
     * Loads the checkpoint, runs it on the tokens (each predicting the next) forward and backward,
     * and returns norm-probe's JSON: one placement (pre) with the per-layer rows.
     */
    ObjectNode probe(Integer heads, DeviceOptions device, PrintWriter err) throws IOException {
        Gpt2Checkpoint ckpt = Gpt2Checkpoint.read(model, heads);
        LmConfig config = ckpt.config();
        Path tokenizer = text != null && tokens == null ? CheckpointTokenizer.beside(model) : null;
        int[] all = tokenizer != null ? CheckpointTokenizer.encode(tokenizer, text, config.vocab())
                : tokenIds(text, tokens, config.vocab());
        String tokensFrom = tokenizer != null ? CheckpointTokenizer.FILE_NAME : text != null ? "utf-8 bytes" : "--tokens";
        int n = CheckpointProbe.withinContext(config, all).length;
        if (n < all.length) {
            err.printf(Locale.ROOT, "norm-probe: %d tokens, the model's context is %d: probing the first %d%n",
                    all.length, config.context(), n);
        }
        for (String note : ckpt.notes()) {
            err.println("norm-probe: " + note);
        }
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("model", config.describe());
        root.put("checkpoint", String.valueOf(model.getFileName()));
        root.put("matrix_layout", ckpt.matrixLayout().label());
        root.put("heads_from", ckpt.headsSource());
        root.put("tokens_from", tokensFrom);
        root.put("seeds", 1);
        root.put("tokens_per_seed", n);
        try (ComputeDevice dev = device.open(err)) {
            root.put("device", dev.name());
            err.printf(Locale.ROOT, "norm-probe: %s, %d layers, width %d, %d heads, vocabulary %d, %d tokens (%s) on %s%n",
                    model.getFileName(), config.layers(), config.width(), config.heads(), config.vocab(), n, tokensFrom,
                    dev.name());
            err.flush();
            LmProbe probe = CheckpointProbe.probe(ckpt, dev, all);
            root.putArray("placements").add(NormProbeCommand.report(mapper, config, List.of(probe), false));
        }
        return root;
    }
}
