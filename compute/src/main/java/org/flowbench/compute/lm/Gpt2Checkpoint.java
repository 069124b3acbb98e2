package org.flowbench.compute.lm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.flowbench.compute.checkpoint.CheckpointFormatException;
import org.flowbench.compute.checkpoint.CheckpointIndex;
import org.flowbench.compute.checkpoint.Tensor;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.flowbench.compute.io.MessageText.abbreviate;

/**
 * A GPT-2-style checkpoint trained elsewhere, read into the parameters of a Pre-LN
 * {@link TransformerLm} with LayerNorm (eps 1e-5), biases, tanh-GELU, learned positions and a
 * final norm.
 *
 * <p>Names are those of Hugging Face's GPT2LMHeadModel ({@code transformer.wte.weight},
 * {@code transformer.h.N.ln_1.weight}, {@code attn.c_attn}, {@code attn.c_proj}, {@code ln_2},
 * {@code mlp.c_fc}, {@code mlp.c_proj}, {@code transformer.ln_f}, an optional
 * {@code lm_head.weight}), with or without the {@code transformer.} prefix, and nanoGPT's, which
 * are the same names with matrices in nn.Linear's {@code [out, in]} layout and sometimes
 * {@code _orig_mod.} in front (a state dict of a {@code torch.compile}d model). Hugging Face
 * stores matrices as Conv1D, {@code [in, out]}, which is this model's layout; which of the two a
 * file uses is told by the shape of the first block's {@code c_attn.weight} ({@code [d, 3d]} or
 * {@code [3d, d]}) and then required of every matrix. The causal-mask buffers
 * {@code attn.bias} and {@code attn.masked_bias} of older files are ignored. A file without any
 * bias (nanoGPT's {@code bias=False}) gets zero biases, which computes the same function.
 *
 * <p>The shape (vocabulary, context, width, layers) comes from the tensors; the number of heads,
 * which no tensor shows, from the caller, from {@code config.json} beside the file
 * ({@code n_head}) or from the file's metadata ({@code n_head}). Every size is checked against
 * {@link LmConfig}'s limits from the header alone before a tensor is read, and tensors are read
 * one at a time within {@link CheckpointIndex}'s loading ceiling. Unknown tensors, missing
 * tensors, shape mismatches and non-finite values are one-line errors naming the tensor.
 */
public final class Gpt2Checkpoint {

    /** How a file stores its matrices. */
    public enum MatrixLayout {
        /** Hugging Face's Conv1D: {@code [in, out]}, as this model stores them. */
        CONV1D("Hugging Face Conv1D [in, out]"),
        /** nanoGPT's nn.Linear: {@code [out, in]}, transposed on reading. */
        LINEAR("nanoGPT nn.Linear [out, in]");

        private final String label;

        MatrixLayout(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Largest config.json read beside a checkpoint. */
    public static final long MAX_CONFIG_BYTES = 1L << 20;

    private static final Pattern BLOCK = Pattern.compile("h\\.(\\d{1,9})\\.(.+)");
    private static final Set<String> IGNORED_BUFFERS = Set.of("attn.bias", "attn.masked_bias");
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(16)
                    .maxNumberLength(32)
                    .maxStringLength((int) MAX_CONFIG_BYTES)
                    .build())
            .build());

    private final Path file;
    private final LmConfig config;
    private final float[] parameters; // [config's LmLayout total], in LmLayout order
    private final MatrixLayout matrixLayout;
    private final String headsSource;
    private final List<String> notes;

    private Gpt2Checkpoint(Path file, LmConfig config, float[] parameters, MatrixLayout matrixLayout,
                           String headsSource, List<String> notes) {
        this.file = file;
        this.config = config;
        this.parameters = parameters;
        this.matrixLayout = matrixLayout;
        this.headsSource = headsSource;
        this.notes = List.copyOf(notes);
    }

    /** The checkpoint's model: Pre-LN, LayerNorm, GELU (tanh form), tied head unless the file has its own. */
    public LmConfig config() {
        return config;
    }

    public Path file() {
        return file;
    }

    /** How the file stored its matrices. */
    public MatrixLayout matrixLayout() {
        return matrixLayout;
    }

    /** Where the number of heads came from: the caller, config.json or the metadata. */
    public String headsSource() {
        return headsSource;
    }

    /** What the reader assumed or approximated (zero biases, GELU's erf form), one line each. */
    public List<String> notes() {
        return notes;
    }

    /** A copy of the parameters in {@link LmLayout} order. */
    public float[] parameters() {
        return parameters.clone();
    }

    /** A model on {@code device} holding these weights. */
    public TransformerLm open(ComputeDevice device) {
        return new TransformerLm(device, config, parameters);
    }

    /**
     * Reads {@code file} (safetensors; pickles are refused by {@link CheckpointIndex}).
     *
     * @param heads the number of attention heads, or null to take {@code n_head} from
     *              config.json beside the file or from the file's metadata
     */
    public static Gpt2Checkpoint read(Path file, Integer heads) throws IOException {
        CheckpointIndex index = CheckpointIndex.open(file);
        Names names = new Names(file, index);
        List<String> notes = new ArrayList<>();

        CheckpointIndex.Entry wte = names.require("wte.weight");
        int[] wteShape = rank(file, wte, 2);
        int vocab = wteShape[0];
        int width = wteShape[1];
        CheckpointIndex.Entry wpe = names.require("wpe.weight");
        int[] wpeShape = rank(file, wpe, 2);
        if (wpeShape[1] != width) {
            throw mismatch(file, wpe, "[context, " + width + "] (the width of " + wte.name() + ")");
        }
        int context = wpeShape[0];
        int layers = names.layers();
        if (layers == 0) {
            throw new CheckpointFormatException(file, "no transformer blocks (no tensor named like "
                    + names.prefix + "h.0.ln_1.weight): not a GPT-2 checkpoint");
        }

        MatrixLayout matrices = matrixLayout(file, names.require("h.0.attn.c_attn.weight"), width);
        boolean biases = names.hasBiases();
        if (!biases) {
            notes.add("the file has no biases (nanoGPT's bias=False): they are zero");
        }
        CheckpointIndex.Entry lmHead = names.find("lm_head.weight");
        if (lmHead != null) {
            int[] s = rank(file, lmHead, 2);
            if (s[0] != vocab || s[1] != width) {
                throw mismatch(file, lmHead, "[" + vocab + ", " + width + "] (the shape of " + wte.name() + ")");
            }
        }

        ConfigJson json = ConfigJson.beside(file);
        int h = resolveHeads(file, heads, json, index.metadata());
        String headsSource = heads != null ? "option" : json != null && json.heads != null ? "config.json" : "metadata";
        if (json != null) {
            json.check(vocab, context, width, layers, notes);
        }
        // The model's size is checked here, from the header alone, before any tensor is read.
        LmConfig untied = build(file, vocab, context, width, h, layers, false);
        // What the reads below will take (lm_head counts as the untied head), checked before the
        // parameter array of the same size is allocated.
        long bytes = 4L * (new LmLayout(untied).total() - (lmHead == null ? (long) vocab * width : 0));
        if (bytes > CheckpointIndex.maxLoadBytes()) {
            throw new CheckpointFormatException(file, "a GPT-2 model of vocab " + vocab + ", width " + width + ", "
                    + layers + " layers needs " + bytes + " bytes of weights, beyond the loading limit of "
                    + CheckpointIndex.maxLoadBytes() + " bytes (set -D" + CheckpointIndex.MAX_LOAD_BYTES_PROPERTY
                    + " to raise it)");
        }

        float[] wteValues = readFinite(index, wte, file);
        boolean tied = true;
        float[] headValues = null;
        if (lmHead != null) {
            headValues = readFinite(index, lmHead, file);
            tied = Arrays.equals(wteValues, headValues);
        }
        LmConfig config = tied ? build(file, vocab, context, width, h, layers, true) : untied;
        LmLayout layout = new LmLayout(config);
        float[] p = new float[layout.total()];
        put(layout, p, "wte", wteValues);
        if (!tied) {
            put(layout, p, "head.weight", transpose(headValues, vocab, width));
        }

        put(layout, p, "wpe", readFinite(index, wpe, file));
        int hidden = config.hidden();
        for (int l = 0; l < layers; l++) {
            String src = "h." + l + ".";
            String dst = "h." + (l + 1) + ".";
            vector(index, names, layout, p, src + "ln_1.weight", dst + "attn.norm_in.weight", width, false);
            vector(index, names, layout, p, src + "ln_1.bias", dst + "attn.norm_in.bias", width, !biases);
            matrix(index, names, layout, p, matrices, src + "attn.c_attn.weight", dst + "attn.qkv.weight", width, 3 * width);
            vector(index, names, layout, p, src + "attn.c_attn.bias", dst + "attn.qkv.bias", 3 * width, !biases);
            matrix(index, names, layout, p, matrices, src + "attn.c_proj.weight", dst + "attn.proj.weight", width, width);
            vector(index, names, layout, p, src + "attn.c_proj.bias", dst + "attn.proj.bias", width, !biases);
            vector(index, names, layout, p, src + "ln_2.weight", dst + "mlp.norm_in.weight", width, false);
            vector(index, names, layout, p, src + "ln_2.bias", dst + "mlp.norm_in.bias", width, !biases);
            matrix(index, names, layout, p, matrices, src + "mlp.c_fc.weight", dst + "mlp.fc.weight", width, hidden);
            vector(index, names, layout, p, src + "mlp.c_fc.bias", dst + "mlp.fc.bias", hidden, !biases);
            matrix(index, names, layout, p, matrices, src + "mlp.c_proj.weight", dst + "mlp.proj.weight", hidden, width);
            vector(index, names, layout, p, src + "mlp.c_proj.bias", dst + "mlp.proj.bias", width, !biases);
        }
        vector(index, names, layout, p, "ln_f.weight", "ln_f.weight", width, false);
        vector(index, names, layout, p, "ln_f.bias", "ln_f.bias", width, !biases);
        return new Gpt2Checkpoint(file, config, p, matrices, headsSource, notes);
    }

    private static LmConfig build(Path file, int vocab, int context, int width, int heads, int layers, boolean tied)
            throws CheckpointFormatException {
        try {
            return new LmConfig(vocab, context, width, heads, layers, Placement.PRE, NormKind.LAYER, false, tied,
                    LmConfig.Init.GPT2, 1f, Activation.GELU);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, "a GPT-2 model of vocab " + vocab + ", context " + context
                    + ", width " + width + ", " + layers + " layers, " + heads + " heads: " + e.getMessage());
        }
    }

    private static int resolveHeads(Path file, Integer option, ConfigJson json, Map<String, String> metadata)
            throws IOException {
        Integer fromJson = json == null ? null : json.heads;
        Integer fromMetadata = null;
        String text = metadata.get("n_head");
        if (text != null) {
            try {
                fromMetadata = Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                throw new CheckpointFormatException(file, "metadata n_head '" + abbreviate(text) + "' is not a whole number");
            }
        }
        if (option != null) {
            if (fromJson != null && !fromJson.equals(option)) {
                throw new CheckpointFormatException(file, "--heads " + option + " but " + json.file.getFileName()
                        + " says n_head " + fromJson);
            }
            return option;
        }
        if (fromJson != null) {
            return fromJson;
        }
        if (fromMetadata != null) {
            return fromMetadata;
        }
        throw new CheckpointFormatException(file, "the number of attention heads is not in the file: put config.json "
                + "(with n_head) beside it or give the heads (--heads)");
    }

    private static MatrixLayout matrixLayout(Path file, CheckpointIndex.Entry cAttn, int width) throws CheckpointFormatException {
        int[] s = rank(file, cAttn, 2);
        if (s[0] == width && s[1] == 3 * width) {
            return MatrixLayout.CONV1D;
        }
        if (s[0] == 3 * width && s[1] == width) {
            return MatrixLayout.LINEAR;
        }
        throw mismatch(file, cAttn, "[" + width + ", " + 3 * width + "] (Conv1D) or [" + 3 * width + ", " + width + "] (nn.Linear)");
    }

    private static void vector(CheckpointIndex index, Names names, LmLayout layout, float[] p,
                               String source, String target, int length, boolean absentIsZero) throws IOException {
        if (absentIsZero) {
            return; // the parameter buffer starts at zero
        }
        CheckpointIndex.Entry e = names.require(source);
        int[] s = e.shape();
        if (s.length != 1 || s[0] != length) {
            throw mismatch(index.file(), e, "[" + length + "]");
        }
        put(layout, p, target, readFinite(index, e, index.file()));
    }

    private static void matrix(CheckpointIndex index, Names names, LmLayout layout, float[] p,
                               MatrixLayout matrices, String source, String target, int in, int out) throws IOException {
        CheckpointIndex.Entry e = names.require(source);
        int[] s = e.shape();
        int rows = matrices == MatrixLayout.CONV1D ? in : out;
        int cols = matrices == MatrixLayout.CONV1D ? out : in;
        if (s.length != 2 || s[0] != rows || s[1] != cols) {
            throw mismatch(index.file(), e, "[" + rows + ", " + cols + "] (" + matrices.label() + ")");
        }
        float[] v = readFinite(index, e, index.file());
        put(layout, p, target, matrices == MatrixLayout.CONV1D ? v : transpose(v, rows, cols));
    }

    private static void put(LmLayout layout, float[] p, String name, float[] values) {
        LmLayout.Entry e = layout.require(name);
        System.arraycopy(values, 0, p, e.offset(), e.size());
    }

    /** {@code [rows, cols]} to {@code [cols, rows]}. */
    private static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }

    private static float[] readFinite(CheckpointIndex index, CheckpointIndex.Entry e, Path file) throws IOException {
        Tensor t = index.read(e.name());
        float[] v = t.data();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new CheckpointFormatException(file, "tensor '" + e.name() + "' holds " + v[i] + " at element " + i);
            }
        }
        return v;
    }

    private static int[] rank(Path file, CheckpointIndex.Entry e, int rank) throws CheckpointFormatException {
        int[] s = e.shape();
        if (s.length != rank) {
            throw new CheckpointFormatException(file, "tensor '" + e.name() + "' has shape " + Arrays.toString(s)
                    + ", expected " + rank + " dimensions");
        }
        return s;
    }

    private static CheckpointFormatException mismatch(Path file, CheckpointIndex.Entry e, String expected) {
        return new CheckpointFormatException(file, "tensor '" + e.name() + "' has shape " + Arrays.toString(e.shape())
                + ", expected " + expected);
    }

    /**
     * The file's tensor names without {@code _orig_mod.} and {@code transformer.}, each known
     * (a GPT-2 tensor or an ignored buffer) or an error naming it.
     */
    private static final class Names {
        final Path file;
        final Map<String, CheckpointIndex.Entry> byShortName = new HashMap<>();
        final Set<Integer> blocks = new TreeSet<>();
        String prefix = "transformer.";

        Names(Path file, CheckpointIndex index) throws CheckpointFormatException {
            this.file = file;
            for (CheckpointIndex.Entry e : index.entries().values()) {
                String n = e.name();
                while (n.startsWith("_orig_mod.")) {
                    n = n.substring("_orig_mod.".length());
                }
                if (n.startsWith("transformer.")) {
                    n = n.substring("transformer.".length());
                }
                if (n.equals("wte.weight")) {
                    prefix = e.name().substring(0, e.name().length() - n.length());
                }
                Matcher m = BLOCK.matcher(n);
                if (m.matches()) {
                    String rest = m.group(2);
                    if (IGNORED_BUFFERS.contains(rest)) {
                        continue;
                    }
                    if (!blockTensor(rest)) {
                        throw unknown(e);
                    }
                    long block = Long.parseLong(m.group(1));
                    if (block >= LmConfig.MAX_LAYERS) {
                        throw new CheckpointFormatException(file, "tensor '" + e.name() + "' is in block " + block
                                + ", beyond the " + LmConfig.MAX_LAYERS + " blocks a model may have");
                    }
                    blocks.add((int) block);
                    n = "h." + block + "." + rest;
                } else if (!Set.of("wte.weight", "wpe.weight", "ln_f.weight", "ln_f.bias", "lm_head.weight").contains(n)) {
                    throw unknown(e);
                }
                if (byShortName.put(n, e) != null) {
                    throw new CheckpointFormatException(file, "tensor '" + e.name() + "' appears twice (with and without a prefix)");
                }
            }
        }

        private static boolean blockTensor(String rest) {
            return switch (rest) {
                case "ln_1.weight", "ln_1.bias", "ln_2.weight", "ln_2.bias",
                     "attn.c_attn.weight", "attn.c_attn.bias", "attn.c_proj.weight", "attn.c_proj.bias",
                     "mlp.c_fc.weight", "mlp.c_fc.bias", "mlp.c_proj.weight", "mlp.c_proj.bias" -> true;
                default -> false;
            };
        }

        private CheckpointFormatException unknown(CheckpointIndex.Entry e) {
            return new CheckpointFormatException(file, "unknown tensor '" + abbreviate(e.name())
                    + "': not a GPT-2 or nanoGPT parameter name");
        }

        /** Blocks 0..L-1, each present; a gap is an error naming the first missing block. */
        int layers() throws CheckpointFormatException {
            int expected = 0;
            for (int b : blocks) {
                if (b != expected) {
                    throw new CheckpointFormatException(file, "block " + expected + " is missing (no tensor "
                            + prefix + "h." + expected + ".*) but block " + b + " is there");
                }
                expected++;
            }
            return blocks.size();
        }

        boolean hasBiases() {
            for (String n : byShortName.keySet()) {
                if (n.endsWith(".bias")) {
                    return true;
                }
            }
            return false;
        }

        CheckpointIndex.Entry find(String shortName) {
            return byShortName.get(shortName);
        }

        CheckpointIndex.Entry require(String shortName) throws CheckpointFormatException {
            CheckpointIndex.Entry e = byShortName.get(shortName);
            if (e == null) {
                String full = shortName.equals("lm_head.weight") ? shortName : prefix + shortName;
                throw new CheckpointFormatException(file, "no tensor '" + full + "': not a complete GPT-2 checkpoint");
            }
            return e;
        }
    }

    /** Hugging Face's config.json beside a checkpoint: the heads, and what must agree with the tensors. */
    private static final class ConfigJson {
        final Path file;
        final JsonNode root;
        final Integer heads;

        private ConfigJson(Path file, JsonNode root, Integer heads) {
            this.file = file;
            this.root = root;
            this.heads = heads;
        }

        static ConfigJson beside(Path checkpoint) throws IOException {
            Path parent = checkpoint.toAbsolutePath().getParent();
            Path json = parent == null ? null : parent.resolve("config.json");
            if (json == null || !Files.isRegularFile(json)) {
                return null;
            }
            long size = Files.size(json);
            if (size > MAX_CONFIG_BYTES) {
                throw new CheckpointFormatException(json, size + " bytes, more than a model configuration can be ("
                        + MAX_CONFIG_BYTES + ")");
            }
            JsonNode root;
            try {
                root = JSON.readTree(new String(Files.readAllBytes(json), StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new CheckpointFormatException(json, "not valid JSON: " + abbreviate(e.getOriginalMessage()));
            }
            if (root == null || !root.isObject()) {
                throw new CheckpointFormatException(json, "is not a JSON object");
            }
            return new ConfigJson(json, root, integer(json, root, "n_head"));
        }

        Integer integer(String key) throws CheckpointFormatException {
            return integer(file, root, key);
        }

        static Integer integer(Path file, JsonNode root, String key) throws CheckpointFormatException {
            JsonNode n = root.get(key);
            if (n == null || n.isNull()) {
                return null;
            }
            if (!n.canConvertToInt() || !n.isIntegralNumber()) {
                throw new CheckpointFormatException(file, key + " is " + abbreviate(n.toString()) + ", not a whole number");
            }
            return n.intValue();
        }

        void check(int vocab, int context, int width, int layers, List<String> notes) throws CheckpointFormatException {
            JsonNode type = root.get("model_type");
            if (type != null && !"gpt2".equals(type.asText())) {
                throw new CheckpointFormatException(file, "model_type is '" + abbreviate(type.asText()) + "', not gpt2");
            }
            agree("vocab_size", vocab);
            agree("n_positions", context);
            agree("n_embd", width);
            agree("n_layer", layers);
            Integer inner = integer("n_inner");
            if (inner != null && inner != 4 * width) {
                throw new CheckpointFormatException(file, "n_inner is " + inner + "; the model's MLP is 4 x n_embd = " + 4 * width);
            }
            JsonNode eps = root.get("layer_norm_epsilon");
            if (eps != null && !eps.isNull() && Math.abs(eps.asDouble() - NormLayer.EPS) > 1e-12) {
                throw new CheckpointFormatException(file, "layer_norm_epsilon is " + eps.asText() + "; the model's LayerNorm uses "
                        + NormLayer.EPS);
            }
            JsonNode act = root.get("activation_function");
            if (act != null && !act.isNull()) {
                switch (act.asText()) {
                    case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> {
                        // GELU's tanh form, which the model computes
                    }
                    case "gelu" -> notes.add("config.json asks for GELU's erf form; the model computes the tanh form "
                            + "(within 5e-4 per activation)");
                    default -> throw new CheckpointFormatException(file, "activation_function '" + abbreviate(act.asText())
                            + "' is not GELU");
                }
            }
            for (String flag : List.of("scale_attn_by_inverse_layer_idx", "add_cross_attention")) {
                JsonNode f = root.get(flag);
                if (f != null && f.asBoolean(false)) {
                    throw new CheckpointFormatException(file, flag + " is true, which the model does not compute");
                }
            }
            JsonNode scale = root.get("scale_attn_weights");
            if (scale != null && !scale.isNull() && !scale.asBoolean(true)) {
                throw new CheckpointFormatException(file, "scale_attn_weights is false; the model scales scores by 1/sqrt(head width)");
            }
        }

        private void agree(String key, int fromTensors) throws CheckpointFormatException {
            Integer v = integer(key);
            if (v != null && v != fromTensors) {
                throw new CheckpointFormatException(file, key + " is " + v + " but the tensors say " + fromTensors);
            }
        }
    }
}
