package org.flowbench.compute.device;

/**
 * The kernels Flowbench's samplers, trainers and normalization layers run, on one device.
 *
 * <p>Data lives in {@link DeviceBuffer}s; batches are row-major flat float arrays with explicit
 * shapes ({@code x // [rows*cols]}). Calls take effect in the order they are made: each sees the
 * results of the calls before it, so calls chain without synchronisation; only {@link #upload}
 * and {@link #download} move data between the Java heap and the device, and a download returns
 * every earlier result. A device may return from a call before its kernels have run (the OpenCL
 * device queues them); {@link #finish()} waits for them, for timing. A sampling loop therefore uploads weights and particles
 * once, steps on resident buffers and downloads only the frames it wants.
 *
 * <p>Conventions, checked on every call (a violation is an {@link IllegalArgumentException}
 * naming the argument):
 * <ul>
 *   <li>a buffer passed with a shape must hold exactly the floats the shape names;</li>
 *   <li>element-wise calls take their length from the output buffer and require the inputs to
 *       have the same length; the output may be one of the inputs unless said otherwise;</li>
 *   <li>dense weights are {@code w // [in*out]} (row i holds the weights from input i), so a
 *       layer computes {@code y = x w + b}; a PyTorch {@code Linear.weight [out, in]} must be
 *       transposed when loaded;</li>
 *   <li>nullable arguments are marked; a null gamma means 1, a null beta or bias means 0, a null
 *       gradient output is not computed.</li>
 * </ul>
 *
 * <p>A device is not safe for concurrent use by several threads at once; give each job its own
 * buffers and call from one thread at a time. {@link #close()} frees everything still allocated.
 */
public interface ComputeDevice extends AutoCloseable {

    /** The name {@link ComputeDevices#byName(String)} accepts: {@code cpu}, {@code opencl:0}... */
    String name();

    /** cpu or OpenCL. */
    DeviceKind kind();

    /** Hardware, compute units and memory of this device. */
    DeviceInfo info();

    // ----------------------------------------------------------------------------------------
    // Buffers

    /** A new buffer of {@code floats} zeros on this device. */
    DeviceBuffer allocate(int floats);

    /** Copies {@code length} floats from {@code src[srcOffset..]} into {@code dst[dstOffset..]}. */
    void upload(float[] src, int srcOffset, DeviceBuffer dst, int dstOffset, int length);

    /** Copies {@code length} floats from {@code src[srcOffset..]} into {@code dst[dstOffset..]}. */
    void download(DeviceBuffer src, int srcOffset, float[] dst, int dstOffset, int length);

    /** Releases a buffer; using it afterwards is an error. Freeing twice is harmless. */
    void free(DeviceBuffer buffer);

    /** Copies all of {@code src} into {@code dst}, which must have the same length. */
    default void upload(float[] src, DeviceBuffer dst) {
        if (src.length != dst.length()) {
            throw new IllegalArgumentException("upload: source has " + src.length + " floats but the buffer has "
                    + dst.length());
        }
        upload(src, 0, dst, 0, src.length);
    }

    /** A new buffer holding a copy of {@code src}. */
    default DeviceBuffer upload(float[] src) {
        DeviceBuffer buffer = allocate(src.length);
        upload(src, 0, buffer, 0, src.length);
        return buffer;
    }

    /** Copies all of {@code src} into {@code dst}, which must have the same length. */
    default void download(DeviceBuffer src, float[] dst) {
        if (src.length() != dst.length) {
            throw new IllegalArgumentException("download: buffer has " + src.length() + " floats but the destination has "
                    + dst.length);
        }
        download(src, 0, dst, 0, dst.length);
    }

    /** A new array holding a copy of {@code src}. */
    default float[] download(DeviceBuffer src) {
        float[] dst = new float[src.length()];
        download(src, 0, dst, 0, dst.length);
        return dst;
    }

    // ----------------------------------------------------------------------------------------
    // Element-wise

    /** Sets every element of {@code x} to {@code value}. */
    void fill(DeviceBuffer x, float value);

    /** {@code dst = src} (same length). */
    void copy(DeviceBuffer src, DeviceBuffer dst);

    /**
     * Copies a block of {@code width} columns between two row-major batches of {@code rows} rows:
     * {@code dst[r, dstCol + j] = src[r, srcCol + j]}. Builds {@code [x, t]} inputs and splits
     * outputs without leaving the device. {@code src} and {@code dst} must be different buffers.
     */
    void copyColumns(DeviceBuffer src, int srcCols, int srcCol, DeviceBuffer dst, int dstCols, int dstCol,
                     int rows, int width);

    /** {@code out = a x + b y}. */
    void axpby(float a, DeviceBuffer x, float b, DeviceBuffer y, DeviceBuffer out);

    /** {@code out = x * y} element by element. */
    void multiply(DeviceBuffer x, DeviceBuffer y, DeviceBuffer out);

    // ----------------------------------------------------------------------------------------
    // Dense layers

    /**
     * {@code y = x w + bias}.
     *
     * @param x    {@code [rows*in]}
     * @param w    {@code [in*out]}
     * @param bias {@code [out]}, nullable
     * @param y    {@code [rows*out]}, not {@code x}
     */
    void denseForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer bias, DeviceBuffer y, int rows, int in, int out);

    /**
     * A dense layer and its activation: {@code z = x w + bias}, {@code y = f(z)}. A device may do
     * both in one pass, so the layer's output crosses memory once.
     *
     * @param z {@code [rows*out]}, the pre-activation a backward pass needs; nullable
     * @param y {@code [rows*out]}, written; must not overlap x, w, bias or z
     */
    void denseForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer bias, Activation f, DeviceBuffer z, DeviceBuffer y,
                      int rows, int in, int out);

    /**
     * A dense layer whose output joins a residual stream: {@code z = x w + bias},
     * {@code y = residual + z}, the floats of {@code denseForward} into z and {@code
     * axpby(1, residual, 1, z, y)}. A device may do both in one pass (a Transformer's projections).
     *
     * @param residual {@code [rows*out]}
     * @param z        {@code [rows*out]}, the layer's own output; nullable
     * @param y        {@code [rows*out]}, written; must not overlap x, w, bias, residual or z
     */
    void denseForwardResidual(DeviceBuffer x, DeviceBuffer w, DeviceBuffer bias, DeviceBuffer residual, DeviceBuffer z,
                              DeviceBuffer y, int rows, int in, int out);

    /**
     * Gradients of {@code y = x w + bias} given {@code dy = dL/dy}: {@code dx = dy w^T},
     * {@code dw = x^T dy}, {@code db = column sums of dy}. Outputs are overwritten, not
     * accumulated.
     *
     * @param x  {@code [rows*in]}, the layer input of the forward pass
     * @param w  {@code [in*out]}
     * @param dy {@code [rows*out]}
     * @param dx {@code [rows*in]}, nullable (a first layer needs no input gradient)
     * @param dw {@code [in*out]}, nullable
     * @param db {@code [out]}, nullable
     */
    void denseBackward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer dy, DeviceBuffer dx, DeviceBuffer dw,
                       DeviceBuffer db, int rows, int in, int out);

    // ----------------------------------------------------------------------------------------
    // Activations

    /** {@code y = f(x)} element by element; {@code y} may be {@code x}. */
    void activate(Activation f, DeviceBuffer x, DeviceBuffer y);

    /**
     * {@code dx = f'(x) * dy} element by element, {@code x} being the activation's input of the
     * forward pass; {@code dx} may be {@code dy}.
     */
    void activateBackward(Activation f, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx);

    /**
     * The same gradient, given the forward output {@code y = f(x)} as well: a device may take the
     * derivative from y where that saves work (SELU's and tanh's need no exponential then). The
     * result agrees with the four-argument form to float rounding of y; {@code dx} may be
     * {@code dy}.
     */
    void activateBackward(Activation f, DeviceBuffer x, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx);

    // ----------------------------------------------------------------------------------------
    // Normalization layers (over each row)

    /**
     * LayerNorm over each row: {@code y = (x - mean) / sqrt(var + eps) * gamma + beta}, with the
     * population variance; saves {@code mean} and {@code rstd = 1/sqrt(var + eps)} per row for the
     * backward pass.
     *
     * @param x     {@code [rows*cols]}
     * @param gamma {@code [cols]}, nullable
     * @param beta  {@code [cols]}, nullable
     * @param y     {@code [rows*cols]}, may be {@code x}
     * @param mean  {@code [rows]}
     * @param rstd  {@code [rows]}
     */
    void layerNormForward(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer y,
                          DeviceBuffer mean, DeviceBuffer rstd, int rows, int cols, float eps);

    /**
     * Gradients of {@link #layerNormForward} given {@code dy}; {@code mean} and {@code rstd} are
     * those the forward pass saved.
     *
     * @param dx     {@code [rows*cols]}, nullable, may be {@code dy}
     * @param dgamma {@code [cols]}, nullable
     * @param dbeta  {@code [cols]}, nullable
     */
    void layerNormBackward(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer mean, DeviceBuffer rstd,
                           DeviceBuffer dy, DeviceBuffer dx, DeviceBuffer dgamma, DeviceBuffer dbeta,
                           int rows, int cols);

    /**
     * RMSNorm over each row: {@code y = x / sqrt(mean(x^2) + eps) * gamma}; saves
     * {@code rrms = 1/sqrt(mean(x^2) + eps)} per row.
     *
     * @param gamma {@code [cols]}, nullable
     * @param y     {@code [rows*cols]}, may be {@code x}
     * @param rrms  {@code [rows]}
     */
    void rmsNormForward(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer y, DeviceBuffer rrms,
                        int rows, int cols, float eps);

    /**
     * Gradients of {@link #rmsNormForward} given {@code dy}.
     *
     * @param dx     {@code [rows*cols]}, nullable, may be {@code dy}
     * @param dgamma {@code [cols]}, nullable
     */
    void rmsNormBackward(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer rrms, DeviceBuffer dy,
                         DeviceBuffer dx, DeviceBuffer dgamma, int rows, int cols);

    // ----------------------------------------------------------------------------------------
    // Reductions

    /** One value per row of {@code x // [rows*cols]} into {@code out // [rows]}. */
    void reduceRows(RowReduction reduction, DeviceBuffer x, DeviceBuffer out, int rows, int cols);

    // ----------------------------------------------------------------------------------------
    // Fused ODE updates (out may be x)

    /**
     * {@code out = x + h v}: an Euler step, and every stage of the explicit solvers (the midpoint
     * method is {@code eulerStep(x, v1, h/2, mid)} then {@code eulerStep(x, v(mid), h, x)}).
     */
    void eulerStep(DeviceBuffer x, DeviceBuffer v, float h, DeviceBuffer out);

    /** Heun's (trapezoidal) update {@code out = x + h/2 (v1 + v2)}. */
    void heunStep(DeviceBuffer x, DeviceBuffer v1, DeviceBuffer v2, float h, DeviceBuffer out);

    /** The classic Runge-Kutta update {@code out = x + h/6 (k1 + 2 k2 + 2 k3 + k4)}. */
    void rk4Step(DeviceBuffer x, DeviceBuffer k1, DeviceBuffer k2, DeviceBuffer k3, DeviceBuffer k4, float h,
                 DeviceBuffer out);

    // ----------------------------------------------------------------------------------------
    // Optimizer

    /**
     * One Adam step (Kingma and Ba 2015) on resident parameters, in place:
     * {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g^2},
     * {@code p -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)}.
     *
     * @param step the 1-based step number t
     */
    void adamStep(DeviceBuffer params, DeviceBuffer grads, DeviceBuffer m, DeviceBuffer v,
                  float lr, float beta1, float beta2, float eps, int step);

    /**
     * AdamW (Loshchilov and Hutter 2019) in one pass: where {@code decays} is non-zero the
     * parameter is first multiplied by {@code keep} ({@code 1 - lr * weight decay}), then it takes
     * the {@link #adamStep} step. The same floats as {@code axpby(keep, p, 0, p, p)} on those
     * elements followed by {@code adamStep}, in one pass over the parameters instead of one more
     * per decaying tensor.
     *
     * @param decays a 0/1 mask as long as params, read only
     */
    void adamWStep(DeviceBuffer params, DeviceBuffer grads, DeviceBuffer m, DeviceBuffer v, DeviceBuffer decays,
                   float keep, float lr, float beta1, float beta2, float eps, int step);

    /**
     * Waits until every call made so far has run on the device. Results never need it (a
     * download waits); a timing does, on a device that queues its kernels.
     */
    default void finish() {
    }

    /** Frees every buffer still allocated and releases the device's resources. */
    @Override
    void close();

    // Channel statistics and batch-style normalisation.
    //
    // Tensors are [batch, channels, spatial] row-major: spatial is 1 for [N, C], L for tokens
    // [N, C, L], H*W for images [N, C, H, W]. Per-channel results are [channels] and reduce over
    // batch and spatial, M = batch * spatial values each, summed in Blocking blocks of batch rows.
    // BatchNorm, PowerNorm, Unified Normalization and Batch-Channel Norm are these four calls plus
    // arithmetic on [channels] vectors.

    /**
     * Mean and population variance of each channel over batch and spatial: two passes, the
     * variance summing squared deviations from the mean (no E[x^2] - E[x]^2 cancellation).
     *
     * @param x    {@code [batch*channels*spatial]}
     * @param mean {@code [channels]}
     * @param var  {@code [channels]}, the biased variance (divided by M)
     */
    void channelMoments(DeviceBuffer x, DeviceBuffer mean, DeviceBuffer var, int batch, int channels, int spatial);

    /**
     * {@code y = (x - center[c]) * scale[c] + shift[c]} for every element of channel c. With
     * {@code scale = gamma * rstd} this is BatchNorm's forward pass with batch or running
     * statistics; without a center, PowerNorm's and Unified Normalization's.
     *
     * @param center {@code [channels]}, nullable (0)
     * @param scale  {@code [channels]}
     * @param shift  {@code [channels]}, nullable (0)
     * @param y      {@code [batch*channels*spatial]}, may be {@code x}
     */
    void channelNormalize(DeviceBuffer x, DeviceBuffer center, DeviceBuffer scale, DeviceBuffer shift, DeviceBuffer y,
                          int batch, int channels, int spatial);

    /**
     * Per-channel sums a backward pass needs: {@code sumDy[c] = sum dy} and
     * {@code sumDyX[c] = sum dy * (x - center[c])} over batch and spatial. (BatchNorm's
     * {@code dbeta} is sumDy and its {@code dgamma} is {@code rstd * sumDyX}.)
     *
     * @param center {@code [channels]}, nullable (0)
     * @param sumDy  {@code [channels]}, nullable (not computed)
     * @param sumDyX {@code [channels]}, nullable (not computed)
     */
    void channelGradientSums(DeviceBuffer x, DeviceBuffer center, DeviceBuffer dy, DeviceBuffer sumDy,
                             DeviceBuffer sumDyX, int batch, int channels, int spatial);

    /**
     * {@code dx = dyScale[c] * dy + xScale[c] * (x - center[c]) + shift[c]}: the input gradient
     * of every per-channel normalisation once its [channels] coefficients are known (BatchNorm in
     * training: {@code rstd gamma}, {@code -rstd^3 gamma sumDyX / M}, {@code -rstd gamma sumDy / M}).
     *
     * @param center  {@code [channels]}, nullable (0)
     * @param xScale  {@code [channels]}, nullable (0)
     * @param shift   {@code [channels]}, nullable (0)
     * @param dx      {@code [batch*channels*spatial]}, may be {@code dy} or {@code x}
     */
    void channelNormalizeBackward(DeviceBuffer x, DeviceBuffer center, DeviceBuffer dy, DeviceBuffer dyScale,
                                  DeviceBuffer xScale, DeviceBuffer shift, DeviceBuffer dx,
                                  int batch, int channels, int spatial);

    /**
     * The element-wise part of an EvoNorm layer over [batch, channels, spatial], whose rows are
     * the groups of {@code channels / groups} channels of each sample ({@code groups = channels}
     * for B0: a row is one channel of one sample):
     * B0 {@code u = x / max(channelStat[c], v[c] x + rowStat[row])} with {@code channelStat =
     * sqrt(var_B + eps)} and {@code rowStat = sqrt(var_row + eps)}; S0
     * {@code u = x sigmoid(v[c] x) rowStat[row]} with {@code rowStat = 1/sqrt(var_row + eps)}.
     *
     * @param rowStat     {@code [batch*groups]}
     * @param channelStat {@code [channels]}, B0 only (null for S0)
     * @param u           {@code [batch*channels*spatial]}, not {@code x}
     */
    void evoNormForward(EvoNormKind kind, DeviceBuffer x, DeviceBuffer v, DeviceBuffer rowStat,
                        DeviceBuffer channelStat, DeviceBuffer u, int batch, int channels, int spatial, int groups);

    /**
     * Per-element terms of the gradient of {@link #evoNormForward} given {@code g = dL/du}, the
     * statistics held constant: {@code dx} the direct part; {@code dvTerm} the element's
     * contribution to {@code dL/dv[c]}; {@code rowTerm} to {@code dL/dRowStat[row]}; B0 only,
     * {@code channelTerm} to {@code dL/dChannelStat[c]}. The caller sums the terms and carries
     * them through the statistics.
     *
     * @param channelTerm nullable (not computed; always null for S0)
     */
    void evoNormBackward(EvoNormKind kind, DeviceBuffer x, DeviceBuffer v, DeviceBuffer rowStat,
                         DeviceBuffer channelStat, DeviceBuffer g, DeviceBuffer dx, DeviceBuffer dvTerm,
                         DeviceBuffer rowTerm, DeviceBuffer channelTerm, int batch, int channels, int spatial,
                         int groups);

    // Transformer ops: attention heads, batched products, causal softmax, cross-entropy, embeddings.

    /**
     * Rearranges a batch of tokens whose features are {@code parts} groups of {@code heads} heads
     * into one contiguous matrix per part, batch element and head:
     * {@code dst[p, b, h, t, e] = src[b, t, p, h, e]}. With {@code parts = 3} it cuts a fused
     * query/key/value projection into Q, K and V, each {@code [batch*heads, seq, headDim]}.
     *
     * @param src {@code [batch*seq*parts*heads*headDim]}
     * @param dst the same number of floats; must not overlap {@code src}
     */
    void splitHeads(DeviceBuffer src, DeviceBuffer dst, int batch, int seq, int parts, int heads, int headDim);

    /** The inverse of {@link #splitHeads}: {@code dst[b, t, p, h, e] = src[p, b, h, t, e]}. */
    void mergeHeads(DeviceBuffer src, DeviceBuffer dst, int batch, int seq, int parts, int heads, int headDim);

    /**
     * {@code c[i] = alpha op(a[i]) op(b[i])} for {@code i < batch}, every matrix row-major and
     * contiguous: {@code op(a[i])} is {@code [m x k]} (stored {@code [k x m]} when
     * {@code transA}), {@code op(b[i])} is {@code [k x n]} (stored {@code [n x k]} when
     * {@code transB}). Overwrites {@code c // [batch*m*n]}, which must not overlap a or b.
     */
    void batchedMatmul(DeviceBuffer a, boolean transA, DeviceBuffer b, boolean transB, DeviceBuffer c,
                       int batch, int m, int k, int n, float alpha);

    /**
     * Causal softmax over rows of attention scores {@code [rows*seq]}: row r is query
     * {@code i = r mod seq}, entries {@code j <= i} get {@code exp(s_j - max) / sum}, entries
     * {@code j > i} are 0 (they are never read). {@code probs} may be {@code scores}.
     */
    void causalSoftmax(DeviceBuffer scores, DeviceBuffer probs, int rows, int seq);

    /**
     * Gradient of a softmax over each row given its output {@code probs} and {@code dprobs}:
     * {@code dscores = probs * (dprobs - sum(dprobs * probs))}; entries with probability 0 (the
     * masked ones) get 0. {@code dscores} may be {@code dprobs}.
     */
    void softmaxBackward(DeviceBuffer probs, DeviceBuffer dprobs, DeviceBuffer dscores, int rows, int cols);

    /** Vectors of headDim floats per head and position in the flow-attention saved buffer. */
    int FLOW_SAVED_VECTORS = 7;

    /** Scalars per head and position in the flow-attention saved buffer. */
    int FLOW_SAVED_SCALARS = 6;

    /**
     * Floats of the buffer {@link #flowAttentionForward} fills for {@link #flowAttentionBackward}:
     * {@value #FLOW_SAVED_VECTORS} vectors of {@code headDim} and {@value #FLOW_SAVED_SCALARS}
     * scalars per head and position.
     */
    static long flowAttentionSavedFloats(int bh, int seq, int headDim) {
        return (long) bh * seq * (FLOW_SAVED_VECTORS * (long) headDim + FLOW_SAVED_SCALARS);
    }

    /**
     * Causal flow attention (Wu et al. 2022, Flowformer) of each of {@code bh} heads; the
     * mechanism and its formulas are those of {@code org.flowbench.compute.lm.FlowAttention},
     * which evaluates them on the host in double precision. Linear in {@code seq}: no attention
     * matrix is formed, position t only reads positions s <= t.
     *
     * <p>{@code saved} receives, per head and position, the cumulative sums and per-position
     * flows the backward pass needs, one row per head and position in {@code [bh, seq]} order: the vectors
     * {@code [Q, K, kSum, qSum, kOSum, qISum, y]} ({@code headDim} floats each: the capacities
     * sigmoid(q) and sigmoid(k), their cumulative sums, the cumulative sums of K O and Q I, the
     * aggregated values before allocation), then the scalars {@code [I, O, B, expSum, competition,
     * allocation]}. Its length is {@link #flowAttentionSavedFloats}.
     *
     * @param qkv   {@code [3*bh*seq*headDim]}: queries, keys, values, each {@code [bh, seq, headDim]}
     *              (the layout {@link #splitHeads} makes with {@code parts = 3})
     * @param out   {@code [bh*seq*headDim]}; must not overlap qkv or saved
     * @param saved {@code [flowAttentionSavedFloats(bh, seq, headDim)]}; must not overlap qkv
     */
    void flowAttentionForward(DeviceBuffer qkv, DeviceBuffer out, DeviceBuffer saved, int bh, int seq, int headDim);

    /**
     * Gradients of {@link #flowAttentionForward} with respect to the queries, keys and values
     * (before their sigmoid), given {@code dout} and the {@code saved} buffer the forward pass
     * filled from the same {@code qkv}. Overwrites {@code dqkv}, which must not overlap any input.
     *
     * @param dout {@code [bh*seq*headDim]}
     * @param dqkv {@code [3*bh*seq*headDim]}, in qkv's layout
     */
    void flowAttentionBackward(DeviceBuffer qkv, DeviceBuffer saved, DeviceBuffer dout, DeviceBuffer dqkv, int bh,
                               int seq, int headDim);

    /**
     * Softmax cross-entropy of each row of logits against an integer class held as a float in
     * {@code targets}: {@code losses[r] = logsumexp(logits[r]) - logits[r, t]}, and
     * {@code dlogits[r] = gradScale (softmax(logits[r]) - onehot(t))}. A negative target (or one
     * at or above {@code classes}) marks a row that does not count: loss and gradient 0.
     *
     * @param logits  {@code [rows*classes]}
     * @param targets {@code [rows]}
     * @param losses  {@code [rows]}
     * @param dlogits {@code [rows*classes]}, nullable, may be {@code logits}
     */
    void crossEntropy(DeviceBuffer logits, DeviceBuffer targets, DeviceBuffer losses, DeviceBuffer dlogits,
                      int rows, int classes, float gradScale);

    /**
     * Embedding lookup: {@code out[r] = table[indices[r]]} ({@code += } when {@code accumulate}),
     * the index being an integer held as a float; an index outside {@code [0, tableRows)} reads a
     * row of zeros.
     *
     * @param table   {@code [tableRows*cols]}
     * @param indices {@code [rows]}
     * @param out     {@code [rows*cols]}, must not overlap table or indices
     */
    void gatherRows(DeviceBuffer table, DeviceBuffer indices, DeviceBuffer out, int rows, int cols, int tableRows,
                    boolean accumulate);

    /**
     * Gradient of {@link #gatherRows}: {@code dtable[v] = sum of dout[r] over rows with
     * indices[r] = v}, overwriting {@code dtable // [tableRows*cols]}; rows whose index is out of
     * range add nothing.
     */
    void scatterAddRows(DeviceBuffer dout, DeviceBuffer indices, DeviceBuffer dtable, int rows, int cols,
                        int tableRows);
}
