package org.flowbench.compute.lm;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoder-only Transformer language model whose forward and backward passes run on a {@link
 * ComputeDevice}: token and position embeddings, L blocks of causal multi-head self-attention
 * (left out when {@link LmConfig#ffnOnly()}) and an MLP of hidden width 4d, each sublayer
 * wrapped by the norms its {@link Placement} asks for, an optional final norm and a tied or
 * untied head, trained on softmax cross-entropy.
 *
 * <p>Parameters live in one device buffer, gradients in another of the same {@link LmLayout}.
 * {@link #forward} keeps every activation the backward pass needs (and the probes read) until
 * the next forward; {@link #backward} overwrites the gradient buffer. The residual stream is
 * kept after every sublayer: {@link #residual(int)} index 0 is the embedding sum, index
 * {@code l} the output of block l.
 *
 * <p>Not thread-safe; one job drives a model.
 */
public final class TransformerLm implements AutoCloseable {

    private final ComputeDevice device;
    private final LmConfig config;
    private final LmLayout layout;
    private final DeviceBuffer params;
    private final DeviceBuffer grads;
    private final List<Sublayer> sublayers = new ArrayList<>();
    private final NormLayer finalNorm;
    private final List<DeviceBuffer> owned = new ArrayList<>();
    private final Map<String, NormLayer> norms = new LinkedHashMap<>(); // by position (h.1.attn.norm_in, ln_f)

    // Activations of the last forward pass, sized for `rows` rows.
    private int batch;
    private int seq;
    private int rows;
    private DeviceBuffer tokens;
    private DeviceBuffer positions;
    private DeviceBuffer targets;
    private DeviceBuffer[] stream;      // stream[k]: input of sublayer k; stream[S]: last output
    private DeviceBuffer normed;        // the final norm's output (or the last stream when none)
    private DeviceBuffer logits;        // after backward's cross-entropy: dlogits
    private DeviceBuffer losses;
    private DeviceBuffer gradA;
    private DeviceBuffer gradB;
    private DeviceBuffer gradTmp;
    private DeviceBuffer tiedTmp;
    private int validTargets;
    private boolean backwardReady;
    private boolean training = true;
    private final List<DeviceBuffer> activations = new ArrayList<>();

    /** A model with freshly drawn weights (see {@link LmConfig.Init}), reproducible from {@code seed}. */
    public TransformerLm(ComputeDevice device, LmConfig config, long seed) {
        this(device, config);
        device.upload(initialParameters(layout, config, seed), params);
    }

    /** A model whose parameters are {@code values} in {@link #layout()} order. */
    public TransformerLm(ComputeDevice device, LmConfig config, float[] values) {
        this(device, config);
        if (values.length != layout.total()) {
            close();
            throw new IllegalArgumentException("parameters have " + values.length + " floats but the model needs "
                    + layout.total());
        }
        device.upload(values, params);
    }

    private TransformerLm(ComputeDevice device, LmConfig config) {
        this.device = device;
        this.config = config;
        this.layout = new LmLayout(config);
        this.params = keep(device.allocate(layout.total()));
        this.grads = keep(device.allocate(layout.total()));
        for (int l = 1; l <= config.layers(); l++) {
            if (!config.ffnOnly()) {
                sublayers.add(new Sublayer(l, true));
            }
            sublayers.add(new Sublayer(l, false));
        }
        finalNorm = config.placement().hasFinalNorm() ? norm("ln_f") : null;
    }

    private DeviceBuffer keep(DeviceBuffer b) {
        owned.add(b);
        return b;
    }

    /** Draws the initial parameters of {@code config} from {@code seed}. */
    static float[] initialParameters(LmLayout layout, LmConfig config, long seed) {
        float[] p = new float[layout.total()];
        SeededRandom root = new SeededRandom(seed);
        double scale = config.initScale();
        for (LmLayout.Entry e : layout.entries()) {
            SeededRandom rnd = root.split();
            double std = switch (e.role()) {
                case BIAS -> 0;
                case GAIN -> -1;
                case EMBEDDING -> config.init() == LmConfig.Init.GPT2 ? 0.02 : Math.sqrt(0.5);
                case MATRIX -> config.init() == LmConfig.Init.GPT2 ? 0.02 : 1 / Math.sqrt(e.fanIn());
                case RESIDUAL_MATRIX -> config.init() == LmConfig.Init.GPT2
                        ? 0.02 / Math.sqrt(2.0 * config.layers()) : 1 / Math.sqrt(e.fanIn());
            };
            for (int i = 0; i < e.size(); i++) {
                p[e.offset() + i] = std < 0 ? 1f : std == 0 ? 0f : (float) (scale * std * rnd.nextGaussian());
            }
        }
        return p;
    }

    public LmConfig config() {
        return config;
    }

    public LmLayout layout() {
        return layout;
    }

    public ComputeDevice device() {
        return device;
    }

    /** The parameter buffer ({@link #layout()} order); an optimiser updates it in place. */
    public DeviceBuffer parameters() {
        return params;
    }

    /** The gradient buffer of the last {@link #backward()}. */
    public DeviceBuffer gradients() {
        return grads;
    }

    /** The slice of {@code buffer} (parameters or gradients) holding tensor {@code name}. */
    public DeviceBuffer slice(DeviceBuffer buffer, String name) {
        LmLayout.Entry e = layout.require(name);
        return buffer.slice(e.offset(), e.size());
    }

    private NormLayer norm(String prefix) {
        LmLayout.Entry g = layout.require(prefix + ".weight");
        LmLayout.Entry b = layout.get(prefix + ".bias");
        NormLayer n = NormLayer.create(config.norm(), device, config.width(), params.slice(g.offset(), g.size()),
                b == null ? null : params.slice(b.offset(), b.size()), grads.slice(g.offset(), g.size()),
                b == null ? null : grads.slice(b.offset(), b.size()));
        norms.put(prefix, n);
        return n;
    }

    /** Every norm by its position, in parameter-buffer order (for {@link LmNormStatistics}). */
    Map<String, NormLayer> norms() {
        return Collections.unmodifiableMap(norms);
    }

    /** The running statistics of the batch or power norms now (none for the per-token norms). */
    public LmNormStatistics normStatistics() {
        return LmNormStatistics.of(this);
    }

    /** Restores running statistics saved with {@link #normStatistics()}; none leaves the model's own. */
    public void setNormStatistics(LmNormStatistics statistics) {
        statistics.applyTo(this);
    }

    // ----------------------------------------------------------------------------------------
    // Forward

    /**
     * Runs the model on {@code batch} sequences of {@code seq} tokens and returns the mean
     * cross-entropy (nats) over the targets that count.
     *
     * @param tokenIds  {@code [batch*seq]} ids in {@code [0, vocab)}
     * @param targetIds {@code [batch*seq]} the next id at each position, or -1 where no loss is taken
     */
    public double forward(int[] tokenIds, int[] targetIds, int batch, int seq) {
        int valid = runToLogits(tokenIds, targetIds, batch, seq);
        float scale = valid == 0 ? 0f : 1f / valid;
        // The gradient of the mean loss overwrites the logits; the forward pass needs them no more.
        device.crossEntropy(logits, targets, losses, logits, rows, config.vocab(), scale);
        float[] l = device.download(losses);
        double sum = 0;
        for (float v : l) {
            sum += v;
        }
        backwardReady = true;
        return valid == 0 ? 0 : sum / valid;
    }

    /**
     * The logits of {@code batch} sequences of {@code seq} tokens, {@code [batch*seq*vocab]},
     * without a loss. The probes read this pass as they read {@link #forward}'s; a backward
     * pass needs a {@link #forward} first.
     */
    public float[] logits(int[] tokenIds, int batch, int seq) {
        int[] none = new int[tokenIds.length];
        java.util.Arrays.fill(none, -1);
        runToLogits(tokenIds, none, batch, seq);
        backwardReady = false;
        return device.download(logits);
    }

    /** Everything up to the head's logits; returns the number of targets that count. */
    private int runToLogits(int[] tokenIds, int[] targetIds, int batch, int seq) {
        if (batch < 1 || seq < 1 || seq > config.context()) {
            throw new IllegalArgumentException("batch must be at least 1 and seq in [1, " + config.context()
                    + "], got batch " + batch + ", seq " + seq);
        }
        long r = (long) batch * seq;
        if (r > (1 << 20)) {
            throw new IllegalArgumentException("a batch of " + r + " tokens is too large (at most 1048576)");
        }
        if (tokenIds.length != r || targetIds.length != r) {
            throw new IllegalArgumentException("tokens and targets must hold batch*seq = " + r + " ids, got "
                    + tokenIds.length + " and " + targetIds.length);
        }
        float[] tok = new float[(int) r];
        float[] tgt = new float[(int) r];
        float[] pos = new float[(int) r];
        int valid = 0;
        for (int i = 0; i < r; i++) {
            if (tokenIds[i] < 0 || tokenIds[i] >= config.vocab()) {
                throw new IllegalArgumentException("token id " + tokenIds[i] + " at position " + i
                        + " is outside the vocabulary [0, " + config.vocab() + ")");
            }
            if (targetIds[i] >= config.vocab()) {
                throw new IllegalArgumentException("target id " + targetIds[i] + " at position " + i
                        + " is outside the vocabulary [0, " + config.vocab() + ")");
            }
            tok[i] = tokenIds[i];
            tgt[i] = targetIds[i] < 0 ? -1 : targetIds[i];
            pos[i] = i % seq;
            valid += targetIds[i] >= 0 ? 1 : 0;
        }
        shape(batch, seq);
        device.upload(tok, tokens);
        device.upload(tgt, targets);
        device.upload(pos, positions);
        validTargets = valid;

        int d = config.width();
        DeviceBuffer x0 = stream[0];
        device.gatherRows(slice(params, "wte"), tokens, x0, rows, d, config.vocab(), false);
        device.gatherRows(slice(params, "wpe"), positions, x0, rows, d, config.context(), true);
        for (int k = 0; k < sublayers.size(); k++) {
            sublayers.get(k).forward(stream[k], stream[k + 1]);
        }
        DeviceBuffer last = stream[sublayers.size()];
        if (finalNorm != null) {
            finalNorm.forward(last, normed, rows);
        } else {
            device.copy(last, normed);
        }
        if (config.tiedHead()) {
            device.batchedMatmul(normed, false, slice(params, "wte"), true, logits, 1, rows, d, config.vocab(), 1f);
        } else {
            device.denseForward(normed, slice(params, "head.weight"), null, logits, rows, d, config.vocab());
        }
        return valid;
    }

    /** Per-position losses of the last forward ({@code [batch*seq]}, 0 where no target). */
    public float[] lastLosses() {
        return device.download(losses);
    }

    // ----------------------------------------------------------------------------------------
    // Backward

    /** Gradients of the last forward's mean loss into {@link #gradients()} (overwritten). */
    public void backward() {
        if (!backwardReady) {
            throw new IllegalStateException("backward needs a forward pass first (and runs once per forward)");
        }
        backwardReady = false;
        int d = config.width();
        DeviceBuffer dlogits = logits;
        DeviceBuffer dNormed = gradTmp;
        if (config.tiedHead()) {
            device.batchedMatmul(dlogits, false, slice(params, "wte"), false, dNormed, 1, rows, config.vocab(), d, 1f);
            device.batchedMatmul(dlogits, true, normed, false, tiedTmp, 1, config.vocab(), rows, d, 1f);
        } else {
            device.denseBackward(normed, slice(params, "head.weight"), dlogits, dNormed, slice(grads, "head.weight"),
                    null, rows, d, config.vocab());
        }
        DeviceBuffer dOut = gradA;
        DeviceBuffer dIn = gradB;
        if (finalNorm != null) {
            finalNorm.backward(stream[sublayers.size()], dNormed, dOut, rows);
        } else {
            device.copy(dNormed, dOut);
        }
        for (int k = sublayers.size() - 1; k >= 0; k--) {
            sublayers.get(k).backward(stream[k], dOut, dIn);
            DeviceBuffer t = dOut;
            dOut = dIn;
            dIn = t;
        }
        device.scatterAddRows(dOut, tokens, slice(grads, "wte"), rows, d, config.vocab());
        device.scatterAddRows(dOut, positions, slice(grads, "wpe"), rows, d, config.context());
        if (config.tiedHead()) {
            DeviceBuffer wte = slice(grads, "wte");
            device.axpby(1f, wte, 1f, tiedTmp, wte);
        }
    }

    // ----------------------------------------------------------------------------------------
    // What probes read (from the last forward)

    /** Rows of the last forward pass (batch * seq). */
    public int rows() {
        return rows;
    }

    public int batch() {
        return batch;
    }

    public int seq() {
        return seq;
    }

    /** The residual stream after block {@code layer} (0: the embedding sum), {@code [rows*width]}. */
    public float[] residual(int layer) {
        checkLayer(layer, 0);
        return device.download(stream[layer * config.sublayersPerBlock()]);
    }

    /**
     * What sublayer {@code sub} (0 attention, 1 MLP; 0 is the MLP when FFN-only) of block
     * {@code layer} adds to the stream: F's output, after the output norm for Peri-LN.
     */
    public float[] sublayerOutput(int layer, int sub) {
        return device.download(sublayerAt(layer, sub).added());
    }

    /**
     * Attention probabilities of block {@code layer}, {@code [batch*heads*seq*seq]}; null when
     * FFN-only or with flow attention, which forms no attention matrix.
     */
    public float[] attentionProbabilities(int layer) {
        if (config.ffnOnly() || config.attention() == AttentionKind.FLOW) {
            return null;
        }
        return device.download(sublayerAt(layer, 0).probs);
    }

    private Sublayer sublayerAt(int layer, int sub) {
        checkLayer(layer, 1);
        if (sub < 0 || sub >= config.sublayersPerBlock()) {
            throw new IllegalArgumentException("sublayer " + sub + " does not exist");
        }
        return sublayers.get((layer - 1) * config.sublayersPerBlock() + sub);
    }

    private void checkLayer(int layer, int first) {
        if (rows == 0) {
            throw new IllegalStateException("no forward pass yet");
        }
        if (layer < first || layer > config.layers()) {
            throw new IllegalArgumentException("layer " + layer + " is outside [" + first + ", " + config.layers() + "]");
        }
    }

    // ----------------------------------------------------------------------------------------
    // Buffers

    private void shape(int batch, int seq) {
        if (batch == this.batch && seq == this.seq) {
            return;
        }
        freeActivations();
        this.batch = batch;
        this.seq = seq;
        this.rows = batch * seq;
        int d = config.width();
        tokens = act(rows);
        positions = act(rows);
        targets = act(rows);
        losses = act(rows);
        stream = new DeviceBuffer[sublayers.size() + 1];
        for (int k = 0; k < stream.length; k++) {
            stream[k] = act(rows * d);
        }
        normed = act(rows * d);
        logits = act(Math.multiplyExact(rows, config.vocab()));
        gradA = act(rows * d);
        gradB = act(rows * d);
        gradTmp = act(rows * d);
        tiedTmp = config.tiedHead() ? act(config.vocab() * d) : null;
        Scratch scratch = new Scratch();
        for (Sublayer s : sublayers) {
            s.allocate(scratch);
        }
    }

    private boolean softmaxAttention() {
        return !config.ffnOnly() && config.attention() == AttentionKind.SOFTMAX;
    }

    /**
     * Training mode (the default: batch statistics for the batch and power norms, running
     * statistics updated) or evaluation mode (running statistics, as at inference). LayerNorm and
     * RMSNorm behave the same in both.
     */
    public void setTraining(boolean training) {
        for (Sublayer s : sublayers) {
            if (s.normIn != null) {
                s.normIn.setTraining(training);
            }
            if (s.normOut != null) {
                s.normOut.setTraining(training);
            }
        }
        if (finalNorm != null) {
            finalNorm.setTraining(training);
        }
        this.training = training;
    }

    public boolean isTraining() {
        return training;
    }

    private DeviceBuffer act(int floats) {
        DeviceBuffer b = device.allocate(floats);
        activations.add(b);
        return b;
    }

    private void freeActivations() {
        for (DeviceBuffer b : activations) {
            device.free(b);
        }
        activations.clear();
        rows = 0;
        batch = 0;
        seq = 0;
    }

    @Override
    public void close() {
        freeActivations();
        for (Sublayer s : sublayers) {
            s.closeNorms();
        }
        if (finalNorm != null) {
            finalNorm.close();
        }
        for (DeviceBuffer b : owned) {
            device.free(b);
        }
    }

    /** Gradient buffers shared by every sublayer's backward (one runs at a time). */
    private final class Scratch {
        final DeviceBuffer du = act(rows * config.width());
        final DeviceBuffer df = act(rows * config.width());
        final DeviceBuffer dsum = act(rows * config.width());
        final DeviceBuffer dmid = act(Math.multiplyExact(rows, Math.max(3 * config.width(), config.hidden())));
        final DeviceBuffer dheads = config.ffnOnly() ? null : act(3 * rows * config.width());
        final DeviceBuffer dprobs = !softmaxAttention() ? null
                : act(Math.multiplyExact(batch * config.heads(), seq * seq));
    }

    /** One attention or MLP sublayer with its norms and the activations of the last forward. */
    private final class Sublayer {
        final int layer;
        final boolean attention;
        final float inputScale;
        final NormLayer normIn;
        final NormLayer normOut;
        final String prefix;
        Scratch scratch;
        DeviceBuffer u;        // input of F (normed, or the stream itself)
        DeviceBuffer mid;      // attention: qkv [rows*3d]; MLP: pre-activation z [rows*4d]
        DeviceBuffer heads;    // attention: q, k, v in head layout [3*rows*d]; MLP: activation h [rows*4d]
        DeviceBuffer probs;    // attention probabilities [batch*heads*seq*seq]
        DeviceBuffer flowSaved; // flow attention: what its forward leaves for its backward
        DeviceBuffer merged;   // attention: output heads, then merged [rows*d] (two buffers)
        DeviceBuffer headOut;
        DeviceBuffer f;        // F's output
        DeviceBuffer g;        // Peri-LN: N_out(f)
        DeviceBuffer sum;      // Post-LN: x + f

        Sublayer(int layer, boolean attention) {
            this.layer = layer;
            this.attention = attention;
            this.prefix = "h." + layer + "." + (attention ? "attn" : "mlp") + ".";
            this.inputScale = config.placement().inputScale(layer);
            this.normIn = config.placement().normalisesInput() ? norm(prefix + "norm_in") : null;
            this.normOut = config.placement().hasOutputNorm() ? norm(prefix + "norm_out") : null;
        }

        void allocate(Scratch s) {
            scratch = s;
            int d = config.width();
            u = normIn == null ? null : act(rows * d);
            f = act(rows * d);
            g = config.placement() == Placement.PERI ? act(rows * d) : null;
            sum = config.placement() == Placement.POST ? act(rows * d) : null;
            if (attention) {
                mid = act(rows * 3 * d);
                heads = act(rows * 3 * d);
                probs = softmaxAttention() ? act(Math.multiplyExact(batch * config.heads(), seq * seq)) : null;
                flowSaved = config.attention() == AttentionKind.FLOW ? act(Math.toIntExact(
                        ComputeDevice.flowAttentionSavedFloats(batch * config.heads(), seq, config.headDim()))) : null;
                headOut = act(rows * d);
                merged = act(rows * d);
            } else {
                mid = act(Math.multiplyExact(rows, config.hidden()));
                heads = act(Math.multiplyExact(rows, config.hidden()));
            }
        }

        /** What this sublayer adds to the stream. */
        DeviceBuffer added() {
            return g != null ? g : f;
        }

        private DeviceBuffer w(String name) {
            return slice(params, prefix + name);
        }

        private DeviceBuffer dw(String name) {
            return slice(grads, prefix + name);
        }

        void forward(DeviceBuffer x, DeviceBuffer out) {
            DeviceBuffer in = x;
            if (normIn != null) {
                normIn.forward(x, u, rows);
                if (inputScale != 1f) {
                    device.axpby(inputScale, u, 0f, u, u);
                }
                in = u;
            }
            // Without an output norm the projection adds the residual stream as it stores (one launch fewer).
            boolean plainResidual = switch (config.placement()) {
                case POST, PERI -> false;
                default -> true;
            };
            DeviceBuffer residual = plainResidual ? x : null;
            if (attention) {
                attentionForward(in, residual, out);
            } else {
                mlpForward(in, residual, out);
            }
            switch (config.placement()) {
                case POST -> {
                    device.axpby(1f, x, 1f, f, sum);
                    normOut.forward(sum, out, rows);
                }
                case PERI -> {
                    normOut.forward(f, g, rows);
                    device.axpby(1f, x, 1f, g, out);
                }
                default -> {
                    // out = x + f, stored by the projection
                }
            }
        }

        /** The sublayer's projection into f, and with a residual also residual + f into out. */
        private void project(DeviceBuffer in, DeviceBuffer residual, DeviceBuffer out, int inWidth) {
            int d = config.width();
            if (residual != null) {
                device.denseForwardResidual(in, w("proj.weight"), w("proj.bias"), residual, f, out, rows, inWidth, d);
            } else {
                device.denseForward(in, w("proj.weight"), w("proj.bias"), f, rows, inWidth, d);
            }
        }

        private void attentionForward(DeviceBuffer in, DeviceBuffer residual, DeviceBuffer out) {
            int d = config.width();
            int h = config.heads();
            int e = config.headDim();
            int slab = rows * d;
            device.denseForward(in, w("qkv.weight"), w("qkv.bias"), mid, rows, d, 3 * d);
            device.splitHeads(mid, heads, batch, seq, 3, h, e);
            if (config.attention() == AttentionKind.FLOW) {
                flowForward();
            } else {
                DeviceBuffer q = heads.slice(0, slab);
                DeviceBuffer k = heads.slice(slab, slab);
                DeviceBuffer v = heads.slice(2 * slab, slab);
                device.batchedMatmul(q, false, k, true, probs, batch * h, seq, e, seq, (float) (1 / Math.sqrt(e)));
                device.causalSoftmax(probs, probs, batch * h * seq, seq);
                device.batchedMatmul(probs, false, v, false, headOut, batch * h, seq, seq, e, 1f);
            }
            device.mergeHeads(headOut, merged, batch, seq, 1, h, e);
            project(merged, residual, out, d);
        }

        private void mlpForward(DeviceBuffer in, DeviceBuffer residual, DeviceBuffer out) {
            int d = config.width();
            int hid = config.hidden();
            device.denseForward(in, w("fc.weight"), w("fc.bias"), config.activation(), mid, heads, rows, d, hid);
            project(heads, residual, out, hid);
        }

        /** {@code dIn} (gradient of the sublayer's input stream) from {@code dOut}; dOut is kept. */
        void backward(DeviceBuffer x, DeviceBuffer dOut, DeviceBuffer dIn) {
            DeviceBuffer base;   // the gradient reaching x through the residual path
            DeviceBuffer df;
            switch (config.placement()) {
                case POST -> {
                    normOut.backward(sum, dOut, scratch.dsum, rows);
                    base = scratch.dsum;
                    df = scratch.dsum;
                }
                case PERI -> {
                    normOut.backward(f, dOut, scratch.df, rows);
                    base = dOut;
                    df = scratch.df;
                }
                default -> {
                    base = dOut;
                    df = dOut;
                }
            }
            DeviceBuffer in = normIn == null ? x : u;
            if (attention) {
                attentionBackward(in, df, scratch.du);
            } else {
                mlpBackward(in, df, scratch.du);
            }
            if (normIn != null) {
                if (inputScale != 1f) {
                    device.axpby(inputScale, scratch.du, 0f, scratch.du, scratch.du);
                }
                normIn.backward(x, scratch.du, scratch.du, rows);
            }
            device.axpby(1f, base, 1f, scratch.du, dIn);
        }

        private void attentionBackward(DeviceBuffer in, DeviceBuffer df, DeviceBuffer du) {
            int d = config.width();
            int h = config.heads();
            int e = config.headDim();
            int slab = rows * d;
            DeviceBuffer dmerged = scratch.dmid.slice(0, slab);
            DeviceBuffer dheadOut = scratch.dmid.slice(slab, slab);
            device.denseBackward(merged, w("proj.weight"), df, dmerged, dw("proj.weight"), dw("proj.bias"), rows, d, d);
            device.splitHeads(dmerged, dheadOut, batch, seq, 1, h, e);
            if (config.attention() == AttentionKind.FLOW) {
                flowBackward(dheadOut);
            } else {
                softmaxBackward(dheadOut);
            }
            DeviceBuffer dqkv = scratch.dmid.slice(0, 3 * slab);
            device.mergeHeads(scratch.dheads, dqkv, batch, seq, 3, h, e);
            device.denseBackward(in, w("qkv.weight"), dqkv, du, dw("qkv.weight"), dw("qkv.bias"), rows, d, 3 * d);
        }

        private void flowForward() {
            device.flowAttentionForward(heads, headOut, flowSaved, batch * config.heads(), seq, config.headDim());
        }

        private void flowBackward(DeviceBuffer dheadOut) {
            device.flowAttentionBackward(heads, flowSaved, dheadOut, scratch.dheads, batch * config.heads(), seq,
                    config.headDim());
        }

        private void softmaxBackward(DeviceBuffer dheadOut) {
            int h = config.heads();
            int e = config.headDim();
            int slab = rows * config.width();
            int bh = batch * h;
            float alpha = (float) (1 / Math.sqrt(e));
            DeviceBuffer q = heads.slice(0, slab);
            DeviceBuffer k = heads.slice(slab, slab);
            DeviceBuffer v = heads.slice(2 * slab, slab);
            DeviceBuffer dq = scratch.dheads.slice(0, slab);
            DeviceBuffer dk = scratch.dheads.slice(slab, slab);
            DeviceBuffer dv = scratch.dheads.slice(2 * slab, slab);
            device.batchedMatmul(dheadOut, false, v, true, scratch.dprobs, bh, seq, e, seq, 1f);
            device.batchedMatmul(probs, true, dheadOut, false, dv, bh, seq, seq, e, 1f);
            device.softmaxBackward(probs, scratch.dprobs, scratch.dprobs, bh * seq, seq);
            device.batchedMatmul(scratch.dprobs, false, k, false, dq, bh, seq, seq, e, alpha);
            device.batchedMatmul(scratch.dprobs, true, q, false, dk, bh, seq, seq, e, alpha);
        }

        private void mlpBackward(DeviceBuffer in, DeviceBuffer df, DeviceBuffer du) {
            int d = config.width();
            int hid = config.hidden();
            DeviceBuffer dh = scratch.dmid.slice(0, rows * hid);
            device.denseBackward(heads, w("proj.weight"), df, dh, dw("proj.weight"), dw("proj.bias"), rows, hid, d);
            device.activateBackward(config.activation(), mid, heads, dh, dh);
            device.denseBackward(in, w("fc.weight"), dh, du, dw("fc.weight"), dw("fc.bias"), rows, d, hid);
        }

        void closeNorms() {
            if (normIn != null) {
                normIn.close();
            }
            if (normOut != null) {
                normOut.close();
            }
        }
    }
}
