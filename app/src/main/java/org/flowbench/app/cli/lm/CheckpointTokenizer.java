package org.flowbench.app.cli.lm;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Hugging Face {@code tokenizer.json} beside a checkpoint, read with Hugging Face's own
 * tokenizers library (through DJL's binding), so that text becomes the ids the model was
 * trained on. The file is bounded in size before the library reads it; anything the library
 * cannot read is one line naming the file.
 */
final class CheckpointTokenizer {

    /** Largest tokenizer.json read; GPT-2's is 1.4 MB, the largest common ones tens of MB. */
    static final long MAX_BYTES = 64L << 20;
    static final String FILE_NAME = "tokenizer.json";

    private CheckpointTokenizer() {
    }

    /** tokenizer.json in the checkpoint's folder, or null when there is none. */
    static Path beside(Path checkpoint) {
        Path parent = checkpoint.toAbsolutePath().getParent();
        if (parent == null) {
            return null;
        }
        Path file = parent.resolve(FILE_NAME);
        return Files.isRegularFile(file) ? file : null;
    }

    /** The ids of {@code text} without special tokens, each checked against {@code vocab}. */
    static int[] encode(Path file, String text, int vocab) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new IllegalArgumentException(file + ": " + size + " bytes, more than a tokenizer can be (" + MAX_BYTES + ")");
        }
        long[] ids;
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(file, Map.of("addSpecialTokens", "false"))) {
            ids = tokenizer.encode(text).getIds();
        } catch (RuntimeException | LinkageError e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
            throw new IllegalArgumentException(file + ": not a tokenizer the Hugging Face tokenizers library reads ("
                    + (why.length() > 160 ? why.substring(0, 157) + "..." : why) + ")");
        }
        if (ids.length == 0) {
            throw new IllegalArgumentException("--text gives no tokens with " + file.getFileName());
        }
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocab) {
                throw new IllegalArgumentException(file + " gives id " + ids[i] + " (token " + (i + 1)
                        + "), outside the model's vocabulary [0, " + vocab + ")");
            }
            out[i] = (int) ids[i];
        }
        return out;
    }
}
