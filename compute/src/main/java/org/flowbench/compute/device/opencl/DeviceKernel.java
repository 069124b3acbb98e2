package org.flowbench.compute.device.opencl;

import com.aparapi.Kernel;
import org.flowbench.compute.device.Activation;

/**
 * Every OpenCL primitive in one Aparapi kernel, chosen by {@link #op}.
 *
 * <p>Aparapi gives each kernel instance its own OpenCL buffer per array field, so buffers can only
 * stay resident across different operations if every operation runs in the same kernel on the
 * same array: {@link #mem}, the device's memory pool, in which every {@code DeviceBuffer} is a
 * range. Transfers go through the two staging arrays (one small and fixed, one sized to large
 * transfers): the host fills a staging array and an {@link #OP_STAGE_IN} copies it into the
 * pool, and the reverse for downloads. Arguments are the offset fields {@code a0..a7} (into
 * {@code mem}; -1 for an absent optional buffer), shape fields {@code s0..s3} and scalars
 * {@code f0..f5}; each op documents which it reads. One work item per output element, row or
 * (block, column), for work items {@code [0, n)}; except the work-group ops, which GPUs take: the
 * tiled product ({@link #OP_GEMM_TILED}, its own {@code gemm*} arguments) and the norm rows with
 * one work-group per row, where every item of a group runs to the group's barriers.
 *
 * <p>Code here is translated to OpenCL C by Aparapi: only primitive locals, loops without
 * break, fields, and Kernel's math functions; fp32 throughout. What Aparapi cannot express, and so
 * what these kernels do without: vector types (float4 loads and stores), per-kernel attributes
 * such as {@code reqd_work_group_size} (so a GPU compiler budgets registers for its largest
 * work-group, which caps the register blocking of the product), and more than one kernel over the
 * same device buffers (Aparapi gives each kernel its own buffer per array, so every op lives in
 * this one kernel, compiled with the registers and local memory of its largest branch). No local
 * may be named {@code half}: OpenCL C reserves it.
 *
 * <p>The direct launcher ({@link DirectKernels}, the default) runs the same ops from the OpenCL C
 * of {@code kernels/*.cl}: one kernel per op code, taking these argument fields, each an exact
 * translation of the Java here (on PoCL the two give the same bits). A change to an op here is a
 * change there; {@code DirectKernelsTest} checks that every op code has its kernel, and the parity
 * suites run on both launchers.
 */
final class DeviceKernel extends Kernel {

    static final int OP_STAGE_IN = 1;
    static final int OP_STAGE_OUT = 2;
    static final int OP_FILL = 3;
    static final int OP_COPY = 4;
    static final int OP_COPY_COLUMNS = 5;
    static final int OP_AXPBY = 6;
    static final int OP_MULTIPLY = 7;
    static final int OP_HEUN = 8;
    static final int OP_RK4 = 9;
    static final int OP_ADAM = 10;
    static final int OP_ACTIVATE = 11;
    static final int OP_ACTIVATE_BACKWARD = 12;
    static final int OP_DENSE_FORWARD = 13;
    static final int OP_DENSE_DX = 14;
    static final int OP_DENSE_DW = 15;
    static final int OP_COLUMN_PARTIALS = 16;
    static final int OP_SUM_BLOCKS = 17;
    static final int OP_LAYER_NORM = 18;
    static final int OP_LAYER_NORM_DX = 19;
    static final int OP_LAYER_NORM_PARTIALS = 20;
    static final int OP_RMS_NORM = 21;
    static final int OP_RMS_NORM_DX = 22;
    static final int OP_RMS_NORM_PARTIALS = 23;
    static final int OP_REDUCE_ROWS = 24;
    /** The tiled matrix product; launched in work-groups of {@link #GEMM_THREADS}, see {@link #gemmTile}. */
    static final int OP_GEMM_TILED = 25;
    /**
     * The same product in {@link #GEMM_LARGE_TILE} x {@link #GEMM_LARGE_TILE} tiles, 8 x 8 outputs
     * per item (twice the arithmetic per local-memory read of the 64 x 64 tiles): for large
     * products on GPUs, chosen by {@link OpenClDevice#useLargeGemmTiles}.
     */
    static final int OP_GEMM_TILED_LARGE = 35;
    /**
     * Row ops with one work-group per row (a power-of-two group size up to 256) and the row's sums
     * reduced in local memory: the same arguments as {@link #OP_LAYER_NORM}, {@link
     * #OP_LAYER_NORM_DX}, {@link #OP_RMS_NORM} and {@link #OP_RMS_NORM_DX}.
     */
    static final int OP_LAYER_NORM_GROUPS = 26;
    static final int OP_LAYER_NORM_DX_GROUPS = 27;
    static final int OP_RMS_NORM_GROUPS = 28;
    static final int OP_RMS_NORM_DX_GROUPS = 29;
    /** Copy with four floats per work item, the item's floats one launch width apart (s0 floats). */
    static final int OP_COPY_WIDE = 30;
    /** Fill the same way (s0 floats at a0 with f0). */
    static final int OP_FILL_WIDE = 34;
    /**
     * Column sums straight into the output, one work item per column, block by block in the
     * order of the partials and {@link #OP_SUM_BLOCKS} (so the same floats): for few blocks,
     * where one launch beats two. Arguments as {@link #OP_COLUMN_PARTIALS}, {@link
     * #OP_LAYER_NORM_PARTIALS} and {@link #OP_RMS_NORM_PARTIALS}, a5/a6/a1 being the outputs.
     */
    static final int OP_COLUMN_SUMS_DIRECT = 31;
    static final int OP_LAYER_NORM_SUMS_DIRECT = 32;
    static final int OP_RMS_NORM_SUMS_DIRECT = 33;
    /** Floats per work item of {@link #OP_COPY_WIDE}. */
    static final int COPY_PER_ITEM = 4;

    /** Activation codes: the ordinals of {@link org.flowbench.compute.device.Activation}. */
    static final int ACT_IDENTITY = 0;
    static final int ACT_RELU = 1;
    static final int ACT_SILU = 2;
    static final int ACT_SELU = 3;
    static final int ACT_TANH = 4;
    static final int ACT_GELU = 5;

    /** Reduction codes: the ordinals of {@link org.flowbench.compute.device.RowReduction}. */
    static final int RED_SUM = 0;
    static final int RED_MEAN = 1;
    static final int RED_VARIANCE = 2;
    static final int RED_MAX_ABS = 3;

    /** Rows per block of a column sum; equals {@link org.flowbench.compute.device.Blocking#BLOCK_ROWS}. */
    static final int BLOCK_ROWS = 256;

    static final float SELU_ALPHA = (float) Activation.SELU_ALPHA;
    static final float SELU_SCALE = (float) Activation.SELU_SCALE;
    static final float GELU_C = (float) Activation.GELU_SQRT_2_OVER_PI;
    static final float GELU_K = (float) Activation.GELU_CUBIC;

    /** Output tile side of the tiled product: each work-group computes a 64 x 64 block of C. */
    static final int GEMM_TILE = 64;
    /** Depth of the tiles of A and B staged in local memory per step. */
    static final int GEMM_DEPTH = 16;
    /** Work items per work-group of the tiled product: 16 x 16, each computing 4 x 4 outputs. */
    static final int GEMM_THREADS = 256;
    /** Output tile side of the large-tile product (16 x 16 items of 8 x 8 outputs). */
    static final int GEMM_LARGE_TILE = 128;
    /** Its depth per step: the staged slices fill the same local arrays as the 64 x 64 tiles. */
    static final int GEMM_LARGE_DEPTH = GEMM_DEPTH * GEMM_TILE / GEMM_LARGE_TILE;

    float[] mem = new float[1];

    /** The tiled product's staging of A, [GEMM_DEPTH][GEMM_TILE] (depth-major). */
    @Local
    final float[] tileA = new float[GEMM_DEPTH * GEMM_TILE];
    /** The tiled product's staging of B, [GEMM_DEPTH][GEMM_TILE]. */
    @Local
    final float[] tileB = new float[GEMM_DEPTH * GEMM_TILE];

    /*
     * Arguments of the tiled product C = f0 A B (+ bias): A(b, i, p) at a0 + b gemmBatchA + i gemmAi
     * + p gemmAp, B(b, p, j) at a1 + b gemmBatchB + p gemmBp + j gemmBj, C row-major at a2 + b m n,
     * bias[j] at a3 (or -1); with s1 = 1, C = activation s0 of that and z at a4 (or -1) gets the
     * value before the activation (single products only). Row gemmOnesRow of A (or -1: none) is
     * all ones rather than loaded, and row gemmOnesRow of C goes to gemmOnesOut: a weight
     * gradient's product carries the bias gradient (column sums of dy) as one more row.
     */
    int gemmM;
    int gemmN;
    int gemmK;
    int gemmTilesN;
    int gemmTilesPerBatch;
    int gemmAi;
    int gemmAp;
    int gemmBp;
    int gemmBj;
    int gemmBatchA;
    int gemmBatchB;
    int gemmOnesRow;
    int gemmOnesOut;
    float[] stageSmall = new float[1];
    float[] stageLarge = new float[1];

    int op;
    int n;
    int a0;
    int a1;
    int a2;
    int a3;
    int a4;
    int a5;
    int a6;
    int a7;
    int s0;
    int s1;
    int s2;
    int s3;
    float f0;
    float f1;
    float f2;
    float f3;
    float f4;
    float f5;
    float f6;

    /** Clears every argument so no value leaks from one call into the next. */
    void resetArguments() {
        n = 0;
        a0 = -1;
        a1 = -1;
        a2 = -1;
        a3 = -1;
        a4 = -1;
        a5 = -1;
        a6 = -1;
        a7 = -1;
        s0 = 0;
        s1 = 0;
        s2 = 0;
        s3 = 0;
        f0 = 0;
        f1 = 0;
        f2 = 0;
        f3 = 0;
        f4 = 0;
        f5 = 0;
        f6 = 0;
        gemmM = 0;
        gemmN = 0;
        gemmK = 0;
        gemmTilesN = 1;
        gemmTilesPerBatch = 1;
        gemmAi = 0;
        gemmAp = 0;
        gemmBp = 0;
        gemmBj = 0;
        gemmBatchA = 0;
        gemmBatchB = 0;
        gemmOnesRow = -1;
        gemmOnesOut = 0;
    }

    @Override
    public void run() {
        int gid = getGlobalId();
        if (op == OP_GEMM_TILED) {
            gemmTile();
        } else if (op == OP_GEMM_TILED_LARGE) {
            gemmTileLarge();
        } else if (op >= OP_LAYER_NORM_GROUPS && op <= OP_RMS_NORM_DX_GROUPS) {
            rowGroupOp();
        } else if (gid < n) {
            if (op >= OP_TRANSFORMER_FIRST) {
                transformerOp(gid);
            } else if (op == OP_STAGE_IN) {
                if (s0 == 0) {
                    mem[a0 + gid] = stageSmall[gid];
                } else {
                    mem[a0 + gid] = stageLarge[gid];
                }
            } else if (op == OP_STAGE_OUT) {
                if (s0 == 0) {
                    stageSmall[gid] = mem[a0 + gid];
                } else {
                    stageLarge[gid] = mem[a0 + gid];
                }
            } else if (op == OP_FILL) {
                mem[a0 + gid] = f0;
            } else if (op == OP_COPY) {
                mem[a1 + gid] = mem[a0 + gid];
            } else if (op == OP_COLUMN_SUMS_DIRECT) {
                columnSumsDirect(gid);
            } else if (op == OP_LAYER_NORM_SUMS_DIRECT) {
                layerNormSumsDirect(gid);
            } else if (op == OP_RMS_NORM_SUMS_DIRECT) {
                rmsNormSumsDirect(gid);
            } else if (op == OP_FILL_WIDE) {
                for (int q = 0; q < COPY_PER_ITEM; q++) {
                    int at = gid + q * n;
                    if (at < s0) {
                        mem[a0 + at] = f0;
                    }
                }
            } else if (op == OP_COPY_WIDE) {
                for (int q = 0; q < COPY_PER_ITEM; q++) {
                    int at = gid + q * n;
                    if (at < s0) {
                        mem[a1 + at] = mem[a0 + at];
                    }
                }
            } else if (op == OP_COPY_COLUMNS) {
                int r = gid / s0;
                int j = gid - r * s0;
                mem[a1 + r * s2 + j] = mem[a0 + r * s1 + j];
            } else if (op == OP_AXPBY) {
                mem[a2 + gid] = f0 * mem[a0 + gid] + f1 * mem[a1 + gid];
            } else if (op == OP_MULTIPLY) {
                mem[a2 + gid] = mem[a0 + gid] * mem[a1 + gid];
            } else if (op == OP_HEUN) {
                mem[a3 + gid] = mem[a0 + gid] + f0 * (mem[a1 + gid] + mem[a2 + gid]);
            } else if (op == OP_RK4) {
                mem[a5 + gid] = mem[a0 + gid]
                        + f0 * ((mem[a1 + gid] + mem[a4 + gid]) + 2f * (mem[a2 + gid] + mem[a3 + gid]));
            } else if (op == OP_ADAM) {
                adam(gid);
            } else if (op == OP_ACTIVATE) {
                mem[a1 + gid] = activation(s0, mem[a0 + gid]);
            } else if (op == OP_ACTIVATE_BACKWARD) {
                mem[a2 + gid] = mem[a1 + gid] * activationSlope(s0, mem[a0 + gid]);
            } else if (op == OP_DENSE_FORWARD) {
                denseForward(gid);
            } else if (op == OP_DENSE_DX) {
                denseInputGradient(gid);
            } else if (op == OP_DENSE_DW) {
                denseWeightGradient(gid);
            } else if (op == OP_COLUMN_PARTIALS) {
                columnPartial(gid);
            } else if (op == OP_SUM_BLOCKS) {
                sumBlocks(gid);
            } else if (op == OP_LAYER_NORM) {
                layerNorm(gid);
            } else if (op == OP_LAYER_NORM_DX) {
                layerNormInputGradient(gid);
            } else if (op == OP_LAYER_NORM_PARTIALS) {
                layerNormPartial(gid);
            } else if (op == OP_RMS_NORM) {
                rmsNorm(gid);
            } else if (op == OP_RMS_NORM_DX) {
                rmsNormInputGradient(gid);
            } else if (op == OP_RMS_NORM_PARTIALS) {
                rmsNormPartial(gid);
            } else if (op == OP_REDUCE_ROWS) {
                reduceRow(gid);
            } else if (op > OP_CHANNEL_BASE && op <= OP_CHANNEL_LAST) {
                channelOp(gid);
            }
        }
    }

    // ----------------------------------------------------------------------------------------
    // Sums over a row: eight running partials combined as on the cpu device

    private float rowSum(int off, int len) {
        float t0 = 0f;
        float t1 = 0f;
        float t2 = 0f;
        float t3 = 0f;
        float t4 = 0f;
        float t5 = 0f;
        float t6 = 0f;
        float t7 = 0f;
        int i = 0;
        for (; i + 7 < len; i += 8) {
            int p = off + i;
            t0 += mem[p];
            t1 += mem[p + 1];
            t2 += mem[p + 2];
            t3 += mem[p + 3];
            t4 += mem[p + 4];
            t5 += mem[p + 5];
            t6 += mem[p + 6];
            t7 += mem[p + 7];
        }
        for (; i < len; i++) {
            t0 += mem[off + i];
        }
        return ((t0 + t1) + (t2 + t3)) + ((t4 + t5) + (t6 + t7));
    }

    private float rowSquaredDeviations(int off, int len, float c) {
        float t0 = 0f;
        float t1 = 0f;
        float t2 = 0f;
        float t3 = 0f;
        float t4 = 0f;
        float t5 = 0f;
        float t6 = 0f;
        float t7 = 0f;
        int i = 0;
        for (; i + 7 < len; i += 8) {
            int p = off + i;
            float d0 = mem[p] - c;
            float d1 = mem[p + 1] - c;
            float d2 = mem[p + 2] - c;
            float d3 = mem[p + 3] - c;
            float d4 = mem[p + 4] - c;
            float d5 = mem[p + 5] - c;
            float d6 = mem[p + 6] - c;
            float d7 = mem[p + 7] - c;
            t0 += d0 * d0;
            t1 += d1 * d1;
            t2 += d2 * d2;
            t3 += d3 * d3;
            t4 += d4 * d4;
            t5 += d5 * d5;
            t6 += d6 * d6;
            t7 += d7 * d7;
        }
        for (; i < len; i++) {
            float d = mem[off + i] - c;
            t0 += d * d;
        }
        return ((t0 + t1) + (t2 + t3)) + ((t4 + t5) + (t6 + t7));
    }

    private float rowDot(int offA, int offB, int len) {
        float t0 = 0f;
        float t1 = 0f;
        float t2 = 0f;
        float t3 = 0f;
        float t4 = 0f;
        float t5 = 0f;
        float t6 = 0f;
        float t7 = 0f;
        int i = 0;
        for (; i + 7 < len; i += 8) {
            int p = offA + i;
            int q = offB + i;
            t0 += mem[p] * mem[q];
            t1 += mem[p + 1] * mem[q + 1];
            t2 += mem[p + 2] * mem[q + 2];
            t3 += mem[p + 3] * mem[q + 3];
            t4 += mem[p + 4] * mem[q + 4];
            t5 += mem[p + 5] * mem[q + 5];
            t6 += mem[p + 6] * mem[q + 6];
            t7 += mem[p + 7] * mem[q + 7];
        }
        for (; i < len; i++) {
            t0 += mem[offA + i] * mem[offB + i];
        }
        return ((t0 + t1) + (t2 + t3)) + ((t4 + t5) + (t6 + t7));
    }

    // ----------------------------------------------------------------------------------------
    // Activations

    private float activation(int code, float v) {
        float result = v;
        if (code == ACT_RELU) {
            result = max(v, 0f);
        } else if (code == ACT_SILU) {
            result = v / (1f + exp(-v));
        } else if (code == ACT_SELU) {
            if (v > 0f) {
                result = SELU_SCALE * v;
            } else {
                result = SELU_SCALE * SELU_ALPHA * expm1(v);
            }
        } else if (code == ACT_TANH) {
            result = tanh(v);
        } else if (code == ACT_GELU) {
            float t = tanh(GELU_C * (v + GELU_K * v * v * v));
            result = 0.5f * v * (1f + t);
        }
        return result;
    }

    private float activationSlope(int code, float v) {
        float slope = 1f;
        if (code == ACT_RELU) {
            if (v > 0f) {
                slope = 1f;
            } else {
                slope = 0f;
            }
        } else if (code == ACT_SILU) {
            float sg = 1f / (1f + exp(-v));
            slope = sg * (1f + v * (1f - sg));
        } else if (code == ACT_SELU) {
            if (v > 0f) {
                slope = SELU_SCALE;
            } else {
                slope = SELU_SCALE * SELU_ALPHA * exp(v);
            }
        } else if (code == ACT_TANH) {
            float t = tanh(v);
            slope = 1f - t * t;
        } else if (code == ACT_GELU) {
            float t = tanh(GELU_C * (v + GELU_K * v * v * v));
            slope = 0.5f * (1f + t) + 0.5f * v * (1f - t * t) * GELU_C * (1f + 3f * GELU_K * v * v);
        }
        return slope;
    }

    // ----------------------------------------------------------------------------------------
    // Adam: a0 params, a1 grads, a2 m, a3 v; f0 lr, f1 beta1, f2 beta2, f3 eps, f4 1-beta1^t, f5 1-beta2^t;
    // AdamW's decay first where the mask at a4 (when a4 >= 0) is non-zero: p = f6 p.

    private void adam(int i) {
        float p = mem[a0 + i];
        if (a4 >= 0) {
            if (mem[a4 + i] != 0f) {
                p = f6 * p;
            }
        }
        float g = mem[a1 + i];
        float mi = f1 * mem[a2 + i] + (1f - f1) * g;
        float vi = f2 * mem[a3 + i] + (1f - f2) * g * g;
        mem[a2 + i] = mi;
        mem[a3 + i] = vi;
        mem[a0 + i] = p - f0 * (mi / f4) / (sqrt(vi / f5) + f3);
    }

    // ----------------------------------------------------------------------------------------
    // Dense: s0 in, s1 out, s2 rows; a0 x, a1 w, a2 bias or dy, a3 y or dx or dw

    /**
     * y[r, o] = bias[o] + sum_k x[r, k] w[k, o]; one work item per output element, o fastest. With
     * s3 = 1, y is the activation s2 of that and z at a4 (when a4 >= 0) the value before it; with a5
     * >= 0, y is the residual at a5 plus it and z at a4 (when a4 >= 0) the value before the sum.
     */
    private void denseForward(int gid) {
        int in = s0;
        int out = s1;
        int r = gid / out;
        int o = gid - r * out;
        int xr = a0 + r * in;
        float t = 0f;
        for (int k = 0; k < in; k++) {
            t += mem[xr + k] * mem[a1 + k * out + o];
        }
        if (a2 >= 0) {
            t += mem[a2 + o];
        }
        if (a5 >= 0) {
            if (a4 >= 0) {
                mem[a4 + gid] = t;
            }
            t = mem[a5 + gid] + t;
        }
        if (s3 == 1) {
            if (a4 >= 0) {
                mem[a4 + gid] = t;
            }
            t = activation(s2, t);
        }
        mem[a3 + gid] = t;
    }

    /** dx[r, i] = sum_o dy[r, o] w[i, o]. */
    private void denseInputGradient(int gid) {
        int in = s0;
        int out = s1;
        int r = gid / in;
        int i = gid - r * in;
        mem[a3 + gid] = rowDot(a2 + r * out, a1 + i * out, out);
    }

    /** dw[i, o] = sum_r x[r, i] dy[r, o]. */
    private void denseWeightGradient(int gid) {
        int in = s0;
        int out = s1;
        int rows = s2;
        int i = gid / out;
        int o = gid - i * out;
        float t = 0f;
        for (int r = 0; r < rows; r++) {
            t += mem[a0 + r * in + i] * mem[a2 + r * out + o];
        }
        mem[a3 + gid] = t;
    }

    // ----------------------------------------------------------------------------------------
    // Column sums by blocks: s0 cols, s1 rows (partials) or blocks (sum); a0 source, a1 target

    /** partial[blk, j] = sum of src[r, j] over the rows of block blk, in row order. */
    private void columnPartial(int gid) {
        int cols = s0;
        int blk = gid / cols;
        int j = gid - blk * cols;
        int r0 = blk * BLOCK_ROWS;
        int r1 = min(s1, r0 + BLOCK_ROWS);
        float t = 0f;
        for (int r = r0; r < r1; r++) {
            t += mem[a0 + r * cols + j];
        }
        mem[a1 + gid] = t;
    }

    /** out[j] = partial[0, j] + partial[1, j] + ... in block order. */
    private void sumBlocks(int j) {
        int cols = s0;
        float t = mem[a0 + j];
        for (int blk = 1; blk < s1; blk++) {
            t += mem[a0 + blk * cols + j];
        }
        mem[a1 + j] = t;
    }

    // ----------------------------------------------------------------------------------------
    // LayerNorm: s0 cols, s1 rows; a0 x, a1 gamma, a2 beta or mean, a3 y or rstd, a4 mean or dy,
    // a5 rstd or dx or dgamma partials, a6 dbeta partials; f0 eps

    /** One row: mean, rstd, y = (x - mean) rstd gamma + beta. a0 x, a1 gamma, a2 beta, a3 y, a4 mean, a5 rstd. */
    private void layerNorm(int r) {
        int cols = s0;
        int xr = a0 + r * cols;
        int yr = a3 + r * cols;
        float mu = rowSum(xr, cols) / cols;
        float var = rowSquaredDeviations(xr, cols, mu) / cols;
        float rs = 1f / sqrt(var + f0);
        mem[a4 + r] = mu;
        mem[a5 + r] = rs;
        for (int j = 0; j < cols; j++) {
            float t = (mem[xr + j] - mu) * rs;
            if (a1 >= 0) {
                t = t * mem[a1 + j];
            }
            if (a2 >= 0) {
                t = t + mem[a2 + j];
            }
            mem[yr + j] = t;
        }
    }

    /** One row of dx = rstd (g dy - mean(g dy) - xhat mean(g dy xhat)). a0 x, a1 gamma, a2 mean, a3 rstd, a4 dy, a5 dx. */
    private void layerNormInputGradient(int r) {
        int cols = s0;
        int xr = a0 + r * cols;
        int dyr = a4 + r * cols;
        int dxr = a5 + r * cols;
        float mu = mem[a2 + r];
        float rs = mem[a3 + r];
        float sa0 = 0f;
        float sa1 = 0f;
        float sa2 = 0f;
        float sa3 = 0f;
        float sc0 = 0f;
        float sc1 = 0f;
        float sc2 = 0f;
        float sc3 = 0f;
        int j = 0;
        for (; j + 3 < cols; j += 4) {
            float e0 = mem[dyr + j] * gammaAt(j);
            float e1 = mem[dyr + j + 1] * gammaAt(j + 1);
            float e2 = mem[dyr + j + 2] * gammaAt(j + 2);
            float e3 = mem[dyr + j + 3] * gammaAt(j + 3);
            sa0 += e0;
            sa1 += e1;
            sa2 += e2;
            sa3 += e3;
            sc0 += e0 * ((mem[xr + j] - mu) * rs);
            sc1 += e1 * ((mem[xr + j + 1] - mu) * rs);
            sc2 += e2 * ((mem[xr + j + 2] - mu) * rs);
            sc3 += e3 * ((mem[xr + j + 3] - mu) * rs);
        }
        for (; j < cols; j++) {
            float e = mem[dyr + j] * gammaAt(j);
            sa0 += e;
            sc0 += e * ((mem[xr + j] - mu) * rs);
        }
        float meanG = ((sa0 + sa1) + (sa2 + sa3)) / cols;
        float meanGx = ((sc0 + sc1) + (sc2 + sc3)) / cols;
        for (int k = 0; k < cols; k++) {
            float xhat = (mem[xr + k] - mu) * rs;
            mem[dxr + k] = rs * (mem[dyr + k] * gammaAt(k) - meanG - xhat * meanGx);
        }
    }

    private float gammaAt(int j) {
        float g = 1f;
        if (a1 >= 0) {
            g = mem[a1 + j];
        }
        return g;
    }

    /** Block partials of dgamma = sum dy xhat and dbeta = sum dy. a0 x, a2 mean, a3 rstd, a4 dy, a5/a6 partials. */
    private void layerNormPartial(int gid) {
        int cols = s0;
        int blk = gid / cols;
        int j = gid - blk * cols;
        int r0 = blk * BLOCK_ROWS;
        int r1 = min(s1, r0 + BLOCK_ROWS);
        float tg = 0f;
        float tb = 0f;
        for (int r = r0; r < r1; r++) {
            float d = mem[a4 + r * cols + j];
            tg += d * ((mem[a0 + r * cols + j] - mem[a2 + r]) * mem[a3 + r]);
            tb += d;
        }
        if (a5 >= 0) {
            mem[a5 + gid] = tg;
        }
        if (a6 >= 0) {
            mem[a6 + gid] = tb;
        }
    }

    // ----------------------------------------------------------------------------------------
    // RMSNorm: s0 cols, s1 rows; a0 x, a1 gamma, a2 rrms, a3 y, a4 rrms or dy, a5 dx or partials; f0 eps

    /** One row: rrms = 1/sqrt(mean(x^2) + eps), y = x rrms gamma. a0 x, a1 gamma, a3 y, a4 rrms. */
    private void rmsNorm(int r) {
        int cols = s0;
        int xr = a0 + r * cols;
        int yr = a3 + r * cols;
        float ms = rowSquaredDeviations(xr, cols, 0f) / cols;
        float rr = 1f / sqrt(ms + f0);
        mem[a4 + r] = rr;
        for (int j = 0; j < cols; j++) {
            mem[yr + j] = mem[xr + j] * rr * gammaAt(j);
        }
    }

    /** One row of dx = rrms (g dy - x rrms^2 mean(g dy x)). a0 x, a1 gamma, a2 rrms, a4 dy, a5 dx. */
    private void rmsNormInputGradient(int r) {
        int cols = s0;
        int xr = a0 + r * cols;
        int dyr = a4 + r * cols;
        int dxr = a5 + r * cols;
        float rr = mem[a2 + r];
        float sc0 = 0f;
        float sc1 = 0f;
        float sc2 = 0f;
        float sc3 = 0f;
        int j = 0;
        for (; j + 3 < cols; j += 4) {
            sc0 += mem[dyr + j] * gammaAt(j) * mem[xr + j];
            sc1 += mem[dyr + j + 1] * gammaAt(j + 1) * mem[xr + j + 1];
            sc2 += mem[dyr + j + 2] * gammaAt(j + 2) * mem[xr + j + 2];
            sc3 += mem[dyr + j + 3] * gammaAt(j + 3) * mem[xr + j + 3];
        }
        for (; j < cols; j++) {
            sc0 += mem[dyr + j] * gammaAt(j) * mem[xr + j];
        }
        float k = rr * rr * (((sc0 + sc1) + (sc2 + sc3)) / cols);
        for (int i = 0; i < cols; i++) {
            mem[dxr + i] = rr * (mem[dyr + i] * gammaAt(i) - mem[xr + i] * k);
        }
    }

    /** Block partial of dgamma = sum dy x rrms. a0 x, a2 rrms, a4 dy, a5 partials. */
    private void rmsNormPartial(int gid) {
        int cols = s0;
        int blk = gid / cols;
        int j = gid - blk * cols;
        int r0 = blk * BLOCK_ROWS;
        int r1 = min(s1, r0 + BLOCK_ROWS);
        float t = 0f;
        for (int r = r0; r < r1; r++) {
            t += mem[a4 + r * cols + j] * (mem[a0 + r * cols + j] * mem[a2 + r]);
        }
        mem[a5 + gid] = t;
    }

    // ----------------------------------------------------------------------------------------
    // Row reductions: s0 cols, s1 reduction code; a0 x, a1 out

    private void reduceRow(int r) {
        int cols = s0;
        int xr = a0 + r * cols;
        float result = 0f;
        if (s1 == RED_SUM) {
            result = rowSum(xr, cols);
        } else if (s1 == RED_MEAN) {
            result = rowSum(xr, cols) / cols;
        } else if (s1 == RED_VARIANCE) {
            float mu = rowSum(xr, cols) / cols;
            result = rowSquaredDeviations(xr, cols, mu) / cols;
        } else if (s1 == RED_MAX_ABS) {
            for (int j = 0; j < cols; j++) {
                result = max(result, abs(mem[xr + j]));
            }
        }
        mem[a1 + r] = result;
    }

    // Channel statistics and batch-style normalisation: tensors [batch, channels, spatial].
    // These ops are numbered from OP_CHANNEL_BASE so that other groups of ops can be added
    // without renumbering. s0 channels, s1 spatial, s2 batch rows, s3 partial mode.

    static final int OP_CHANNEL_BASE = 100;
    /** Block partials per (block, channel): a0 x, a1 center, a2 dy, a3/a4 partials; s3 mode. */
    static final int OP_CHANNEL_PARTIALS = 101;
    /** out[c] = (sum of the block partials of channel c in block order) / f0: a0 partials, a1 out, s2 blocks. */
    static final int OP_CHANNEL_FINISH = 102;
    /** y = (x - center) scale + shift: a0 x, a1 center, a2 scale, a3 shift, a4 y. */
    static final int OP_CHANNEL_NORMALIZE = 103;
    /** dx = dyScale dy + xScale (x - center) + shift: a0 x, a1 center, a2 dy, a3 dyScale, a4 xScale, a5 shift, a6 dx. */
    static final int OP_CHANNEL_BACKWARD = 104;
    /** EvoNorm's u: a0 x, a1 v, a2 rowStat, a3 channelStat, a4 u; s2 row length, s3 kind (0 B0, 1 S0). */
    static final int OP_EVO_NORM = 105;
    /** EvoNorm's gradient terms: a0 x, a1 v, a2 rowStat, a3 channelStat, a4 g, a5 dx, a6 dv, a7 row, a8 channel terms. */
    static final int OP_EVO_NORM_BACKWARD = 106;
    static final int OP_CHANNEL_LAST = 106;

    /** A ninth offset, for EvoNorm's backward only; set by every op that reads it. */
    int a8;

    /** Partial modes: the sum of x; of (x - center)^2; of dy (into a3) and dy (x - center) (into a4). */
    static final int CHANNEL_SUM = 0;
    static final int CHANNEL_SQUARED_DEVIATIONS = 1;
    static final int CHANNEL_GRADIENT = 2;

    private void channelOp(int gid) {
        if (op == OP_CHANNEL_PARTIALS) {
            channelPartial(gid);
        } else if (op == OP_CHANNEL_FINISH) {
            channelFinish(gid);
        } else if (op == OP_CHANNEL_NORMALIZE) {
            channelNormalize(gid);
        } else if (op == OP_CHANNEL_BACKWARD) {
            channelBackward(gid);
        } else if (op == OP_EVO_NORM) {
            evoNorm(gid);
        } else if (op == OP_EVO_NORM_BACKWARD) {
            evoNormBackward(gid);
        }
    }

    private float channelValue(int at, int c) {
        float v = 0f;
        if (at >= 0) {
            v = mem[at + c];
        }
        return v;
    }

    /** Sum of dy (x - c) over a row of both, with four running partials. */
    private float rowDotCentered(int offX, int offDy, int len, float c) {
        float t0 = 0f;
        float t1 = 0f;
        float t2 = 0f;
        float t3 = 0f;
        int i = 0;
        for (; i + 3 < len; i += 4) {
            t0 += mem[offDy + i] * (mem[offX + i] - c);
            t1 += mem[offDy + i + 1] * (mem[offX + i + 1] - c);
            t2 += mem[offDy + i + 2] * (mem[offX + i + 2] - c);
            t3 += mem[offDy + i + 3] * (mem[offX + i + 3] - c);
        }
        for (; i < len; i++) {
            t0 += mem[offDy + i] * (mem[offX + i] - c);
        }
        return (t0 + t1) + (t2 + t3);
    }

    /** One (block, channel): the rows of the block in order, each row's spatial values summed. */
    private void channelPartial(int gid) {
        int channels = s0;
        int spatial = s1;
        int blk = gid / channels;
        int c = gid - blk * channels;
        int n0 = blk * BLOCK_ROWS;
        int n1 = min(s2, n0 + BLOCK_ROWS);
        float m = channelValue(a1, c);
        float ta = 0f;
        float tb = 0f;
        for (int nr = n0; nr < n1; nr++) {
            int p = (nr * channels + c) * spatial;
            if (s3 == CHANNEL_SUM) {
                ta += rowSum(a0 + p, spatial);
            } else if (s3 == CHANNEL_SQUARED_DEVIATIONS) {
                ta += rowSquaredDeviations(a0 + p, spatial, m);
            } else {
                if (a3 >= 0) {
                    ta += rowSum(a2 + p, spatial);
                }
                if (a4 >= 0) {
                    tb += rowDotCentered(a0 + p, a2 + p, spatial, m);
                }
            }
        }
        if (a3 >= 0) {
            mem[a3 + gid] = ta;
        }
        if (s3 == CHANNEL_GRADIENT && a4 >= 0) {
            mem[a4 + gid] = tb;
        }
    }

    private void channelFinish(int c) {
        int channels = s0;
        float t = mem[a0 + c];
        for (int blk = 1; blk < s2; blk++) {
            t += mem[a0 + blk * channels + c];
        }
        mem[a1 + c] = t / f0;
    }

    private void channelNormalize(int gid) {
        int c = (gid / s1) % s0;
        mem[a4 + gid] = (mem[a0 + gid] - channelValue(a1, c)) * mem[a2 + c] + channelValue(a3, c);
    }

    private void channelBackward(int gid) {
        int c = (gid / s1) % s0;
        mem[a6 + gid] = mem[a3 + c] * mem[a2 + gid] + channelValue(a4, c) * (mem[a0 + gid] - channelValue(a1, c))
                + channelValue(a5, c);
    }

    private void evoNorm(int gid) {
        int c = (gid / s1) % s0;
        float xi = mem[a0 + gid];
        float vc = mem[a1 + c];
        float r = mem[a2 + gid / s2];
        if (s3 == 0) {
            mem[a4 + gid] = xi / max(mem[a3 + c], vc * xi + r);
        } else {
            float sig = 1f / (1f + exp(-vc * xi));
            mem[a4 + gid] = xi * sig * r;
        }
    }

    private void evoNormBackward(int gid) {
        int c = (gid / s1) % s0;
        float xi = mem[a0 + gid];
        float vc = mem[a1 + c];
        float r = mem[a2 + gid / s2];
        float gi = mem[a4 + gid];
        if (s3 == 0) {
            float a = mem[a3 + c];
            float t = vc * xi + r;
            if (t > a) {
                float inv = 1f / t;
                float q = gi * inv * inv;
                mem[a5 + gid] = q * r;
                mem[a6 + gid] = -q * xi * xi;
                mem[a7 + gid] = -q * xi;
                if (a8 >= 0) {
                    mem[a8 + gid] = 0f;
                }
            } else {
                mem[a5 + gid] = gi / a;
                mem[a6 + gid] = 0f;
                mem[a7 + gid] = 0f;
                if (a8 >= 0) {
                    mem[a8 + gid] = -gi * xi / (a * a);
                }
            }
        } else {
            float sig = 1f / (1f + exp(-vc * xi));
            float slope = sig * (1f - sig);
            mem[a5 + gid] = gi * r * (sig + vc * xi * slope);
            mem[a6 + gid] = gi * r * xi * xi * slope;
            mem[a7 + gid] = gi * xi * sig;
        }
    }

    // Transformer ops: attention heads, batched products, causal softmax, cross-entropy, embeddings.

    /** Op codes from here on are dispatched by {@link #transformerOp}. */
    static final int OP_TRANSFORMER_FIRST = 200;
    static final int OP_SPLIT_HEADS = 200;
    static final int OP_MERGE_HEADS = 201;
    static final int OP_BATCHED_MATMUL = 202;
    static final int OP_CAUSAL_SOFTMAX = 203;
    static final int OP_SOFTMAX_BACKWARD = 204;
    static final int OP_CROSS_ENTROPY = 205;
    static final int OP_GATHER_ROWS = 206;
    static final int OP_SCATTER_ADD_ROWS = 207;
    /** Causal flow attention in five phases, see {@link #flowScan} and the methods after it. */
    static final int OP_FLOW_SCAN = 208;
    static final int OP_FLOW_AGGREGATE = 209;
    static final int OP_FLOW_BACK_ROWS = 210;
    static final int OP_FLOW_BACK_COLUMNS = 211;
    static final int OP_FLOW_BACK_SCAN = 212;
    /** Added to flow capacities and their sums, as in Flowformer's implementation. */
    static final float FLOW_EPS = 1e-6f;

    private void transformerOp(int gid) {
        if (op == OP_SPLIT_HEADS) {
            permuteHeads(gid, 1);
        } else if (op == OP_MERGE_HEADS) {
            permuteHeads(gid, 0);
        } else if (op == OP_BATCHED_MATMUL) {
            batchedMatmulElement(gid);
        } else if (op == OP_CAUSAL_SOFTMAX) {
            causalSoftmaxRow(gid);
        } else if (op == OP_SOFTMAX_BACKWARD) {
            softmaxBackwardRow(gid);
        } else if (op == OP_CROSS_ENTROPY) {
            crossEntropyRow(gid);
        } else if (op == OP_GATHER_ROWS) {
            gatherElement(gid);
        } else if (op == OP_SCATTER_ADD_ROWS) {
            scatterAddElement(gid);
        } else if (op == OP_FLOW_SCAN) {
            flowScan(gid);
        } else if (op == OP_FLOW_AGGREGATE) {
            flowAggregate(gid);
        } else if (op == OP_FLOW_BACK_ROWS) {
            flowBackRows(gid);
        } else if (op == OP_FLOW_BACK_COLUMNS) {
            flowBackColumns(gid);
        } else if (op == OP_FLOW_BACK_SCAN) {
            flowBackScan(gid);
        }
    }

    /**
     * One element of the destination: split {@code dst[p,b,h,t,e] = src[b,t,p,h,e]}, merge the
     * reverse. s0 batch, s1 seq, s2 heads, s3 headDim; parts = n / (batch seq heads headDim);
     * a0 src, a1 dst.
     */
    private void permuteHeads(int gid, int split) {
        int e = gid % s3;
        int rest = gid / s3;
        int parts = n / (s0 * s1 * s2 * s3);
        if (split == 1) {
            int t = rest % s1;
            rest = rest / s1;
            int h = rest % s2;
            rest = rest / s2;
            int b = rest % s0;
            int p = rest / s0;
            mem[a1 + gid] = mem[a0 + (((b * s1 + t) * parts + p) * s2 + h) * s3 + e];
        } else {
            int h = rest % s2;
            rest = rest / s2;
            int p = rest % parts;
            rest = rest / parts;
            int t = rest % s1;
            int b = rest / s1;
            mem[a1 + gid] = mem[a0 + (((p * s0 + b) * s2 + h) * s1 + t) * s3 + e];
        }
    }

    /** One element of c = f0 op(a) op(b). s0 m, s1 k, s2 n, s3 2 transA + transB; a0 a, a1 b, a2 c. */
    private void batchedMatmulElement(int gid) {
        int m = s0;
        int k = s1;
        int cols = s2;
        int mn = m * cols;
        int batchIndex = gid / mn;
        int within = gid - batchIndex * mn;
        int i = within / cols;
        int j = within - i * cols;
        int aBase = a0 + batchIndex * m * k;
        int bBase = a1 + batchIndex * k * cols;
        int strideA = 1;
        int startA = aBase + i * k;
        if (s3 >= 2) {
            strideA = m;
            startA = aBase + i;
        }
        int strideB = cols;
        int startB = bBase + j;
        if (s3 - (s3 / 2) * 2 == 1) {
            strideB = 1;
            startB = bBase + j * k;
        }
        float t = 0f;
        for (int p = 0; p < k; p++) {
            t += mem[startA + p * strideA] * mem[startB + p * strideB];
        }
        mem[a2 + gid] = f0 * t;
    }

    /** One row of a causal softmax over s0 columns; the row's query is gid mod s0. a0 scores, a1 probs. */
    private void causalSoftmaxRow(int r) {
        int cols = s0;
        int valid = r % cols + 1;
        int sr = a0 + r * cols;
        int pr = a1 + r * cols;
        float mx = mem[sr];
        for (int j = 1; j < valid; j++) {
            mx = max(mx, mem[sr + j]);
        }
        float sum = 0f;
        for (int j = 0; j < valid; j++) {
            float e = exp(mem[sr + j] - mx);
            mem[pr + j] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int j = 0; j < cols; j++) {
            if (j < valid) {
                mem[pr + j] = mem[pr + j] * inv;
            } else {
                mem[pr + j] = 0f;
            }
        }
    }

    /** One row of ds = p (dp - sum(dp p)). s0 cols; a0 p, a1 dp, a2 ds. */
    private void softmaxBackwardRow(int r) {
        int cols = s0;
        int pr = a0 + r * cols;
        int dpr = a1 + r * cols;
        int dsr = a2 + r * cols;
        float dot = 0f;
        for (int j = 0; j < cols; j++) {
            dot += mem[dpr + j] * mem[pr + j];
        }
        for (int j = 0; j < cols; j++) {
            mem[dsr + j] = mem[pr + j] * (mem[dpr + j] - dot);
        }
    }

    /** One row of softmax cross-entropy. s0 classes; a0 logits, a1 targets, a2 losses, a3 dlogits or -1; f0 scale. */
    private void crossEntropyRow(int r) {
        int cols = s0;
        int xr = a0 + r * cols;
        float target = mem[a1 + r];
        int valid = 1;
        if (target < 0f) {
            valid = 0;
        }
        if (target >= cols) {
            valid = 0;
        }
        int t = 0;
        if (valid == 1) {
            t = (int) target;
        }
        float mx = mem[xr];
        for (int j = 1; j < cols; j++) {
            mx = max(mx, mem[xr + j]);
        }
        float sum = 0f;
        for (int j = 0; j < cols; j++) {
            sum += exp(mem[xr + j] - mx);
        }
        float logSum = mx + log(sum);
        // Written through a branch, not multiplied by 0: an ignored row's infinite logits must not give NaN.
        float loss = 0f;
        if (valid == 1) {
            loss = logSum - mem[xr + t];
        }
        mem[a2 + r] = loss;
        if (a3 >= 0) {
            int dr = a3 + r * cols;
            for (int j = 0; j < cols; j++) {
                float q = exp(mem[xr + j] - logSum);
                if (j == t) {
                    q = q - 1f;
                }
                float grad = 0f;
                if (valid == 1) {
                    grad = f0 * q;
                }
                mem[dr + j] = grad;
            }
        }
    }

    /** One element of out[r] = table[indices[r]] (+= when s2 is 1). s0 cols, s1 tableRows; a0 table, a1 indices, a2 out. */
    private void gatherElement(int gid) {
        int cols = s0;
        int r = gid / cols;
        int j = gid - r * cols;
        float index = mem[a1 + r];
        int inRange = 1;
        if (index < 0f) {
            inRange = 0;
        }
        if (index >= s1) {
            inRange = 0;
        }
        float v = 0f;
        if (inRange == 1) {
            v = mem[a0 + ((int) index) * cols + j];
        }
        if (s2 == 1) {
            mem[a2 + gid] = mem[a2 + gid] + v;
        } else {
            mem[a2 + gid] = v;
        }
    }

    /** One element of dtable[v, j] = sum over rows with indices[r] = v of dout[r, j]. s0 cols, s1 rows; a0 dout, a1 indices, a2 dtable. */
    private void scatterAddElement(int gid) {
        int cols = s0;
        int v = gid / cols;
        int j = gid - v * cols;
        float t = 0f;
        for (int r = 0; r < s1; r++) {
            float index = mem[a1 + r];
            int hit = 0;
            if (index >= 0f) {
                hit = 1;
            }
            if (((int) index) != v) {
                hit = 0;
            }
            if (hit == 1) {
                t += mem[a0 + r * cols + j];
            }
        }
        mem[a2 + gid] = t;
    }

    // ----------------------------------------------------------------------------------------
    // Tiled matrix product

    /**
     * One 64 x 64 tile of C per work-group of 256 items, each item accumulating a 4 x 4 block
     * (rows ly + 16 u, columns lx + 16 v) in registers while 64 x 16 slices of A and 16 x 64
     * slices of B pass through local memory. Loads follow whichever of A's and B's strides is 1,
     * so neighbouring work items read neighbouring floats; out-of-range elements load as 0. Each
     * output sums over p in increasing order, like the simple kernels.
     */
    private void gemmTile() {
        int lid = getLocalId();
        int group = getGroupId();
        int batchIndex = group / gemmTilesPerBatch;
        int tile = group - batchIndex * gemmTilesPerBatch;
        int tileRow = tile / gemmTilesN;
        int i0 = tileRow * GEMM_TILE;
        int j0 = (tile - tileRow * gemmTilesN) * GEMM_TILE;
        int baseA = a0 + batchIndex * gemmBatchA;
        int baseB = a1 + batchIndex * gemmBatchB;
        int lx = lid % 16;
        int ly = lid / 16;
        float c00 = 0f;
        float c01 = 0f;
        float c02 = 0f;
        float c03 = 0f;
        float c10 = 0f;
        float c11 = 0f;
        float c12 = 0f;
        float c13 = 0f;
        float c20 = 0f;
        float c21 = 0f;
        float c22 = 0f;
        float c23 = 0f;
        float c30 = 0f;
        float c31 = 0f;
        float c32 = 0f;
        float c33 = 0f;
        for (int p0 = 0; p0 < gemmK; p0 += GEMM_DEPTH) {
            for (int q = 0; q < 4; q++) {
                int e = lid + q * GEMM_THREADS;
                // A slice: element (i, p) of the tile, p fastest when A's rows are contiguous.
                int ia = e % GEMM_TILE;
                int pa = e / GEMM_TILE;
                if (gemmAp == 1) {
                    ia = e / GEMM_DEPTH;
                    pa = e % GEMM_DEPTH;
                }
                float va = 0f;
                if (i0 + ia < gemmM && p0 + pa < gemmK) {
                    if (i0 + ia == gemmOnesRow) {
                        va = 1f;
                    } else {
                        va = mem[baseA + (i0 + ia) * gemmAi + (p0 + pa) * gemmAp];
                    }
                }
                tileA[pa * GEMM_TILE + ia] = va;
                // B slice: element (p, j), j fastest when B's rows are contiguous.
                int jb = e % GEMM_TILE;
                int pb = e / GEMM_TILE;
                if (gemmBj != 1) {
                    jb = e / GEMM_DEPTH;
                    pb = e % GEMM_DEPTH;
                }
                float vb = 0f;
                if (j0 + jb < gemmN && p0 + pb < gemmK) {
                    vb = mem[baseB + (p0 + pb) * gemmBp + (j0 + jb) * gemmBj];
                }
                tileB[pb * GEMM_TILE + jb] = vb;
            }
            localBarrier();
            for (int p = 0; p < GEMM_DEPTH; p++) {
                int ra = p * GEMM_TILE + ly;
                int rb = p * GEMM_TILE + lx;
                float x0 = tileA[ra];
                float x1 = tileA[ra + 16];
                float x2 = tileA[ra + 32];
                float x3 = tileA[ra + 48];
                float y0 = tileB[rb];
                float y1 = tileB[rb + 16];
                float y2 = tileB[rb + 32];
                float y3 = tileB[rb + 48];
                c00 += x0 * y0;
                c01 += x0 * y1;
                c02 += x0 * y2;
                c03 += x0 * y3;
                c10 += x1 * y0;
                c11 += x1 * y1;
                c12 += x1 * y2;
                c13 += x1 * y3;
                c20 += x2 * y0;
                c21 += x2 * y1;
                c22 += x2 * y2;
                c23 += x2 * y3;
                c30 += x3 * y0;
                c31 += x3 * y1;
                c32 += x3 * y2;
                c33 += x3 * y3;
            }
            localBarrier();
        }
        int baseC = a2 + batchIndex * gemmM * gemmN;
        int i = i0 + ly;
        gemmStoreRow(baseC, i, j0 + lx, c00, c01, c02, c03);
        gemmStoreRow(baseC, i + 16, j0 + lx, c10, c11, c12, c13);
        gemmStoreRow(baseC, i + 32, j0 + lx, c20, c21, c22, c23);
        gemmStoreRow(baseC, i + 48, j0 + lx, c30, c31, c32, c33);
    }

    /**
     * One 128 x 128 tile of C per work-group of 256 items, each item accumulating an 8 x 8 block
     * (rows ly + 16 u, columns lx + 16 v) while 128 x 8 slices of A and 8 x 128 slices of B pass
     * through local memory; loads, bounds and summation order as {@link #gemmTile}.
     */
    private void gemmTileLarge() {
        int lid = getLocalId();
        int group = getGroupId();
        int batchIndex = group / gemmTilesPerBatch;
        int tile = group - batchIndex * gemmTilesPerBatch;
        int tileRow = tile / gemmTilesN;
        int i0 = tileRow * GEMM_LARGE_TILE;
        int j0 = (tile - tileRow * gemmTilesN) * GEMM_LARGE_TILE;
        int baseA = a0 + batchIndex * gemmBatchA;
        int baseB = a1 + batchIndex * gemmBatchB;
        int lx = lid % 16;
        int ly = lid / 16;
        float c00 = 0f;
        float c01 = 0f;
        float c02 = 0f;
        float c03 = 0f;
        float c04 = 0f;
        float c05 = 0f;
        float c06 = 0f;
        float c07 = 0f;
        float c10 = 0f;
        float c11 = 0f;
        float c12 = 0f;
        float c13 = 0f;
        float c14 = 0f;
        float c15 = 0f;
        float c16 = 0f;
        float c17 = 0f;
        float c20 = 0f;
        float c21 = 0f;
        float c22 = 0f;
        float c23 = 0f;
        float c24 = 0f;
        float c25 = 0f;
        float c26 = 0f;
        float c27 = 0f;
        float c30 = 0f;
        float c31 = 0f;
        float c32 = 0f;
        float c33 = 0f;
        float c34 = 0f;
        float c35 = 0f;
        float c36 = 0f;
        float c37 = 0f;
        float c40 = 0f;
        float c41 = 0f;
        float c42 = 0f;
        float c43 = 0f;
        float c44 = 0f;
        float c45 = 0f;
        float c46 = 0f;
        float c47 = 0f;
        float c50 = 0f;
        float c51 = 0f;
        float c52 = 0f;
        float c53 = 0f;
        float c54 = 0f;
        float c55 = 0f;
        float c56 = 0f;
        float c57 = 0f;
        float c60 = 0f;
        float c61 = 0f;
        float c62 = 0f;
        float c63 = 0f;
        float c64 = 0f;
        float c65 = 0f;
        float c66 = 0f;
        float c67 = 0f;
        float c70 = 0f;
        float c71 = 0f;
        float c72 = 0f;
        float c73 = 0f;
        float c74 = 0f;
        float c75 = 0f;
        float c76 = 0f;
        float c77 = 0f;
        for (int p0 = 0; p0 < gemmK; p0 += GEMM_LARGE_DEPTH) {
            for (int q = 0; q < 4; q++) {
                int e = lid + q * GEMM_THREADS;
                int ia = e % GEMM_LARGE_TILE;
                int pa = e / GEMM_LARGE_TILE;
                if (gemmAp == 1) {
                    ia = e / GEMM_LARGE_DEPTH;
                    pa = e % GEMM_LARGE_DEPTH;
                }
                float va = 0f;
                if (i0 + ia < gemmM && p0 + pa < gemmK) {
                    if (i0 + ia == gemmOnesRow) {
                        va = 1f;
                    } else {
                        va = mem[baseA + (i0 + ia) * gemmAi + (p0 + pa) * gemmAp];
                    }
                }
                tileA[pa * GEMM_LARGE_TILE + ia] = va;
                int jb = e % GEMM_LARGE_TILE;
                int pb = e / GEMM_LARGE_TILE;
                if (gemmBj != 1) {
                    jb = e / GEMM_LARGE_DEPTH;
                    pb = e % GEMM_LARGE_DEPTH;
                }
                float vb = 0f;
                if (j0 + jb < gemmN && p0 + pb < gemmK) {
                    vb = mem[baseB + (p0 + pb) * gemmBp + (j0 + jb) * gemmBj];
                }
                tileB[pb * GEMM_LARGE_TILE + jb] = vb;
            }
            localBarrier();
            for (int p = 0; p < GEMM_LARGE_DEPTH; p++) {
                int ra = p * GEMM_LARGE_TILE + ly;
                int rb = p * GEMM_LARGE_TILE + lx;
                float x0 = tileA[ra];
                float x1 = tileA[ra + 16];
                float x2 = tileA[ra + 32];
                float x3 = tileA[ra + 48];
                float x4 = tileA[ra + 64];
                float x5 = tileA[ra + 80];
                float x6 = tileA[ra + 96];
                float x7 = tileA[ra + 112];
                float y0 = tileB[rb];
                float y1 = tileB[rb + 16];
                float y2 = tileB[rb + 32];
                float y3 = tileB[rb + 48];
                float y4 = tileB[rb + 64];
                float y5 = tileB[rb + 80];
                float y6 = tileB[rb + 96];
                float y7 = tileB[rb + 112];
                c00 += x0 * y0;
                c01 += x0 * y1;
                c02 += x0 * y2;
                c03 += x0 * y3;
                c04 += x0 * y4;
                c05 += x0 * y5;
                c06 += x0 * y6;
                c07 += x0 * y7;
                c10 += x1 * y0;
                c11 += x1 * y1;
                c12 += x1 * y2;
                c13 += x1 * y3;
                c14 += x1 * y4;
                c15 += x1 * y5;
                c16 += x1 * y6;
                c17 += x1 * y7;
                c20 += x2 * y0;
                c21 += x2 * y1;
                c22 += x2 * y2;
                c23 += x2 * y3;
                c24 += x2 * y4;
                c25 += x2 * y5;
                c26 += x2 * y6;
                c27 += x2 * y7;
                c30 += x3 * y0;
                c31 += x3 * y1;
                c32 += x3 * y2;
                c33 += x3 * y3;
                c34 += x3 * y4;
                c35 += x3 * y5;
                c36 += x3 * y6;
                c37 += x3 * y7;
                c40 += x4 * y0;
                c41 += x4 * y1;
                c42 += x4 * y2;
                c43 += x4 * y3;
                c44 += x4 * y4;
                c45 += x4 * y5;
                c46 += x4 * y6;
                c47 += x4 * y7;
                c50 += x5 * y0;
                c51 += x5 * y1;
                c52 += x5 * y2;
                c53 += x5 * y3;
                c54 += x5 * y4;
                c55 += x5 * y5;
                c56 += x5 * y6;
                c57 += x5 * y7;
                c60 += x6 * y0;
                c61 += x6 * y1;
                c62 += x6 * y2;
                c63 += x6 * y3;
                c64 += x6 * y4;
                c65 += x6 * y5;
                c66 += x6 * y6;
                c67 += x6 * y7;
                c70 += x7 * y0;
                c71 += x7 * y1;
                c72 += x7 * y2;
                c73 += x7 * y3;
                c74 += x7 * y4;
                c75 += x7 * y5;
                c76 += x7 * y6;
                c77 += x7 * y7;
            }
            localBarrier();
        }
        int baseC = a2 + batchIndex * gemmM * gemmN;
        int i = i0 + ly;
        gemmStoreRow(baseC, i, j0 + lx, c00, c01, c02, c03);
        gemmStoreRow(baseC, i, j0 + lx + 64, c04, c05, c06, c07);
        gemmStoreRow(baseC, i + 16, j0 + lx, c10, c11, c12, c13);
        gemmStoreRow(baseC, i + 16, j0 + lx + 64, c14, c15, c16, c17);
        gemmStoreRow(baseC, i + 32, j0 + lx, c20, c21, c22, c23);
        gemmStoreRow(baseC, i + 32, j0 + lx + 64, c24, c25, c26, c27);
        gemmStoreRow(baseC, i + 48, j0 + lx, c30, c31, c32, c33);
        gemmStoreRow(baseC, i + 48, j0 + lx + 64, c34, c35, c36, c37);
        gemmStoreRow(baseC, i + 64, j0 + lx, c40, c41, c42, c43);
        gemmStoreRow(baseC, i + 64, j0 + lx + 64, c44, c45, c46, c47);
        gemmStoreRow(baseC, i + 80, j0 + lx, c50, c51, c52, c53);
        gemmStoreRow(baseC, i + 80, j0 + lx + 64, c54, c55, c56, c57);
        gemmStoreRow(baseC, i + 96, j0 + lx, c60, c61, c62, c63);
        gemmStoreRow(baseC, i + 96, j0 + lx + 64, c64, c65, c66, c67);
        gemmStoreRow(baseC, i + 112, j0 + lx, c70, c71, c72, c73);
        gemmStoreRow(baseC, i + 112, j0 + lx + 64, c74, c75, c76, c77);
    }

    /** Four outputs of one row of C, at columns j, j + 16, j + 32, j + 48, those inside C. */
    private void gemmStoreRow(int baseC, int i, int j, float v0, float v1, float v2, float v3) {
        if (i < gemmM) {
            int row = baseC + i * gemmN;
            if (i == gemmOnesRow) {
                row = gemmOnesOut;
            }
            if (j < gemmN) {
                mem[row + j] = gemmOutput(i, j, v0);
            }
            if (j + 16 < gemmN) {
                mem[row + j + 16] = gemmOutput(i, j + 16, v1);
            }
            if (j + 32 < gemmN) {
                mem[row + j + 32] = gemmOutput(i, j + 32, v2);
            }
            if (j + 48 < gemmN) {
                mem[row + j + 48] = gemmOutput(i, j + 48, v3);
            }
        }
    }

    /**
     * The stored value of output (i, j): {@code f0 sum + bias[j]}; with s1 = 1 the activation s0
     * of it, the value before the activation going to z at a4 (when a4 >= 0); with a residual at
     * a5 (when a5 >= 0) that residual plus it, the value before the sum going to z at a4.
     */
    private float gemmOutput(int i, int j, float sum) {
        float t = f0 * sum;
        if (a3 >= 0) {
            t += mem[a3 + j];
        }
        if (a5 >= 0) {
            if (a4 >= 0) {
                mem[a4 + i * gemmN + j] = t;
            }
            t = mem[a5 + i * gemmN + j] + t;
        }
        if (s1 == 1) {
            if (a4 >= 0) {
                mem[a4 + i * gemmN + j] = t;
            }
            t = activation(s0, t);
        }
        return t;
    }

    // ----------------------------------------------------------------------------------------
    // Norm rows with one work-group per row

    private void rowGroupOp() {
        if (op == OP_LAYER_NORM_GROUPS) {
            layerNormGroup();
        } else if (op == OP_LAYER_NORM_DX_GROUPS) {
            layerNormInputGradientGroup();
        } else if (op == OP_RMS_NORM_GROUPS) {
            rmsNormGroup();
        } else {
            rmsNormInputGradientGroup();
        }
    }

    /**
     * The work-group's sum of {@code v} (tree reduction in {@link #tileA}); every item gets it.
     * Every item of the group must call it.
     */
    private float groupSum(float v) {
        int lid = getLocalId();
        tileA[lid] = v;
        localBarrier();
        for (int width = getLocalSize() / 2; width > 0; width = width / 2) {
            if (lid < width) {
                tileA[lid] = tileA[lid] + tileA[lid + width];
            }
            localBarrier();
        }
        float total = tileA[0];
        localBarrier();
        return total;
    }

    /** Like {@link #groupSum} for a second value at the same time, in {@link #tileB}. */
    private float groupSumB(float v) {
        int lid = getLocalId();
        tileB[lid] = v;
        localBarrier();
        for (int width = getLocalSize() / 2; width > 0; width = width / 2) {
            if (lid < width) {
                tileB[lid] = tileB[lid] + tileB[lid + width];
            }
            localBarrier();
        }
        float total = tileB[0];
        localBarrier();
        return total;
    }

    /** {@link #layerNorm} for the row of this work-group. */
    private void layerNormGroup() {
        int r = getGroupId();
        int lid = getLocalId();
        int size = getLocalSize();
        int cols = s0;
        int xr = a0 + r * cols;
        int yr = a3 + r * cols;
        float t = 0f;
        for (int j = lid; j < cols; j += size) {
            t += mem[xr + j];
        }
        float mu = groupSum(t) / cols;
        float q = 0f;
        for (int j = lid; j < cols; j += size) {
            float d = mem[xr + j] - mu;
            q += d * d;
        }
        float rs = 1f / sqrt(groupSum(q) / cols + f0);
        if (lid == 0) {
            mem[a4 + r] = mu;
            mem[a5 + r] = rs;
        }
        for (int j = lid; j < cols; j += size) {
            float v = (mem[xr + j] - mu) * rs;
            if (a1 >= 0) {
                v = v * mem[a1 + j];
            }
            if (a2 >= 0) {
                v = v + mem[a2 + j];
            }
            mem[yr + j] = v;
        }
    }

    /** {@link #layerNormInputGradient} for the row of this work-group. */
    private void layerNormInputGradientGroup() {
        int r = getGroupId();
        int lid = getLocalId();
        int size = getLocalSize();
        int cols = s0;
        int xr = a0 + r * cols;
        int dyr = a4 + r * cols;
        int dxr = a5 + r * cols;
        float mu = mem[a2 + r];
        float rs = mem[a3 + r];
        float sa = 0f;
        float sc = 0f;
        for (int j = lid; j < cols; j += size) {
            float e = mem[dyr + j] * gammaAt(j);
            sa += e;
            sc += e * ((mem[xr + j] - mu) * rs);
        }
        float meanG = groupSum(sa) / cols;
        float meanGx = groupSumB(sc) / cols;
        for (int j = lid; j < cols; j += size) {
            float xhat = (mem[xr + j] - mu) * rs;
            mem[dxr + j] = rs * (mem[dyr + j] * gammaAt(j) - meanG - xhat * meanGx);
        }
    }

    /** {@link #rmsNorm} for the row of this work-group. */
    private void rmsNormGroup() {
        int r = getGroupId();
        int lid = getLocalId();
        int size = getLocalSize();
        int cols = s0;
        int xr = a0 + r * cols;
        int yr = a3 + r * cols;
        float q = 0f;
        for (int j = lid; j < cols; j += size) {
            float v = mem[xr + j];
            q += v * v;
        }
        float rr = 1f / sqrt(groupSum(q) / cols + f0);
        if (lid == 0) {
            mem[a4 + r] = rr;
        }
        for (int j = lid; j < cols; j += size) {
            mem[yr + j] = mem[xr + j] * rr * gammaAt(j);
        }
    }

    /** {@link #rmsNormInputGradient} for the row of this work-group. */
    private void rmsNormInputGradientGroup() {
        int r = getGroupId();
        int lid = getLocalId();
        int size = getLocalSize();
        int cols = s0;
        int xr = a0 + r * cols;
        int dyr = a4 + r * cols;
        int dxr = a5 + r * cols;
        float rr = mem[a2 + r];
        float sc = 0f;
        for (int j = lid; j < cols; j += size) {
            sc += mem[dyr + j] * gammaAt(j) * mem[xr + j];
        }
        float k = rr * rr * (groupSum(sc) / cols);
        for (int j = lid; j < cols; j += size) {
            mem[dxr + j] = rr * (mem[dyr + j] * gammaAt(j) - mem[xr + j] * k);
        }
    }

    // ----------------------------------------------------------------------------------------
    // Column sums in one launch (few blocks of rows)

    /** out[j] = the sum of src[r, j], by blocks of rows. s0 cols, s1 rows; a0 src, a1 out. */
    private void columnSumsDirect(int j) {
        int cols = s0;
        float total = 0f;
        for (int r0 = 0; r0 < s1; r0 += BLOCK_ROWS) {
            int r1 = min(s1, r0 + BLOCK_ROWS);
            float t = 0f;
            for (int r = r0; r < r1; r++) {
                t += mem[a0 + r * cols + j];
            }
            if (r0 == 0) {
                total = t;
            } else {
                total += t;
            }
        }
        mem[a1 + j] = total;
    }

    /** dgamma[j] = sum dy xhat and dbeta[j] = sum dy, by blocks of rows. a0 x, a2 mean, a3 rstd, a4 dy, a5 dgamma, a6 dbeta. */
    private void layerNormSumsDirect(int j) {
        int cols = s0;
        float totalG = 0f;
        float totalB = 0f;
        for (int r0 = 0; r0 < s1; r0 += BLOCK_ROWS) {
            int r1 = min(s1, r0 + BLOCK_ROWS);
            float tg = 0f;
            float tb = 0f;
            for (int r = r0; r < r1; r++) {
                float d = mem[a4 + r * cols + j];
                tg += d * ((mem[a0 + r * cols + j] - mem[a2 + r]) * mem[a3 + r]);
                tb += d;
            }
            if (r0 == 0) {
                totalG = tg;
                totalB = tb;
            } else {
                totalG += tg;
                totalB += tb;
            }
        }
        if (a5 >= 0) {
            mem[a5 + j] = totalG;
        }
        if (a6 >= 0) {
            mem[a6 + j] = totalB;
        }
    }

    /** dgamma[j] = sum dy x rrms, by blocks of rows. a0 x, a2 rrms, a4 dy, a5 dgamma. */
    private void rmsNormSumsDirect(int j) {
        int cols = s0;
        float total = 0f;
        for (int r0 = 0; r0 < s1; r0 += BLOCK_ROWS) {
            int r1 = min(s1, r0 + BLOCK_ROWS);
            float t = 0f;
            for (int r = r0; r < r1; r++) {
                t += mem[a4 + r * cols + j] * (mem[a0 + r * cols + j] * mem[a2 + r]);
            }
            if (r0 == 0) {
                total = t;
            } else {
                total += t;
            }
        }
        mem[a5 + j] = total;
    }

    /*
     * Causal flow attention (ComputeDevice#flowAttentionForward). Arguments of every phase: s0 seq,
     * s1 e (headDim), s2 the floats of one of q, k, v (bh seq e); a0 qkv, a1 out or dout, a2 the
     * saved rows [bh, seq, 7e + 6] (vectors Q, K, kSum, qSum, kOSum, qISum, y, then scalars I, O,
     * B, expSum, competition, allocation), a3 working space, a4 dqkv. The cumulative sums run along
     * positions inside one work item; the items are heads (scans) or (head, column or row) pairs
     * of the e x e running state, whose e floats each item keeps at a3 + gid e.
     */

    /** One head's capacities, cumulative sums and flows into the saved rows. */
    private void flowScan(int b) {
        int seq = s0;
        int e = s1;
        int w = 7 * e + 6;
        int sc = 7 * e;
        int qOff = a0 + b * seq * e;
        int kOff = qOff + s2;
        int sOff = a2 + b * seq * w;
        float expSum = 0f;
        for (int t = 0; t < seq; t++) {
            float nt = (float) (t + 1);
            int r = sOff + t * w;
            int prev = r - w;
            float a = 0f;
            float c = 0f;
            for (int d = 0; d < e; d++) {
                float q = 1f / (1f + exp(-mem[qOff + t * e + d]));
                float k = 1f / (1f + exp(-mem[kOff + t * e + d]));
                float ks = k;
                float qs = q;
                if (t > 0) {
                    ks = mem[prev + 2 * e + d] + k;
                    qs = mem[prev + 3 * e + d] + q;
                }
                mem[r + d] = q;
                mem[r + e + d] = k;
                mem[r + 2 * e + d] = ks;
                mem[r + 3 * e + d] = qs;
                a += (q + FLOW_EPS) * (ks + FLOW_EPS);
                c += (k + FLOW_EPS) * (qs + FLOW_EPS);
            }
            float inFlow = nt / a;
            float outFlow = nt / c;
            float sink = 0f;
            float source = 0f;
            for (int d = 0; d < e; d++) {
                float q = mem[r + d];
                float k = mem[r + e + d];
                float ko = k * outFlow;
                float qi = q * inFlow;
                if (t > 0) {
                    ko = mem[prev + 4 * e + d] + k * outFlow;
                    qi = mem[prev + 5 * e + d] + q * inFlow;
                }
                mem[r + 4 * e + d] = ko;
                mem[r + 5 * e + d] = qi;
                sink += (q + FLOW_EPS) * (ko + FLOW_EPS);
                source += (k + FLOW_EPS) * (qi + FLOW_EPS);
            }
            float bt = source / nt;
            float expB = exp(max(-1f, min(1f, bt)));
            expSum += expB;
            mem[r + sc] = inFlow;
            mem[r + sc + 1] = outFlow;
            mem[r + sc + 2] = bt;
            mem[r + sc + 3] = expSum;
            mem[r + sc + 4] = nt * expB / expSum;
            mem[r + sc + 5] = 1f / (1f + exp(-sink / nt));
        }
    }

    /** Column m of one head's aggregation: y (saved) and out = allocation y. Item gid = b e + m. */
    private void flowAggregate(int gid) {
        int seq = s0;
        int e = s1;
        int w = 7 * e + 6;
        int sc = 7 * e;
        int b = gid / e;
        int m = gid - b * e;
        int vOff = a0 + 2 * s2 + b * seq * e;
        int oOff = a1 + b * seq * e;
        int sOff = a2 + b * seq * w;
        int st = a3 + gid * e;
        for (int d = 0; d < e; d++) {
            mem[st + d] = 0f;
        }
        for (int t = 0; t < seq; t++) {
            int r = sOff + t * w;
            float wv = mem[r + sc + 4] * mem[vOff + t * e + m];
            float sum = 0f;
            for (int d = 0; d < e; d++) {
                float acc = mem[st + d] + mem[r + e + d] * wv;
                mem[st + d] = acc;
                sum += mem[r + d] * acc;
            }
            float y = mem[r + sc] / (float) (t + 1) * sum;
            mem[r + 6 * e + m] = y;
            mem[oOff + t * e + m] = mem[r + sc + 5] * y;
        }
    }

    /**
     * Row d of the backward states of one head (item gid = b e + d), dy = allocation dout:
     * forwards S[m] = sum over s <= t of K_s[d] c_s V_s[m] gives dQs_t[d] = S . dy_t (into dq);
     * backwards G[m] = sum over u >= t of Q_u[d] I_u / n_u dy_u[m] gives h_t[d] = G . V_t (into dk).
     */
    private void flowBackRows(int gid) {
        int seq = s0;
        int e = s1;
        int w = 7 * e + 6;
        int sc = 7 * e;
        int b = gid / e;
        int d = gid - b * e;
        int head = b * seq * e;
        int vOff = a0 + 2 * s2 + head;
        int gOff = a1 + head;
        int sOff = a2 + b * seq * w;
        int dqOff = a4 + head;
        int dkOff = a4 + s2 + head;
        int st = a3 + gid * e;
        for (int m = 0; m < e; m++) {
            mem[st + m] = 0f;
        }
        for (int t = 0; t < seq; t++) {
            int r = sOff + t * w;
            float kc = mem[r + e + d] * mem[r + sc + 4];
            float alloc = mem[r + sc + 5];
            float sum = 0f;
            for (int m = 0; m < e; m++) {
                float acc = mem[st + m] + kc * mem[vOff + t * e + m];
                mem[st + m] = acc;
                sum += acc * (alloc * mem[gOff + t * e + m]);
            }
            mem[dqOff + t * e + d] = sum;
        }
        for (int m = 0; m < e; m++) {
            mem[st + m] = 0f;
        }
        for (int i = 0; i < seq; i++) {
            int t = seq - 1 - i;
            int r = sOff + t * w;
            float qs = mem[r + d] * (mem[r + sc] / (float) (t + 1));
            float alloc = mem[r + sc + 5];
            float h = 0f;
            for (int m = 0; m < e; m++) {
                float acc = mem[st + m] + qs * (alloc * mem[gOff + t * e + m]);
                mem[st + m] = acc;
                h += acc * mem[vOff + t * e + m];
            }
            mem[dkOff + t * e + d] = h;
        }
    }

    /** Column m of the backward state G of one head (item gid = b e + m): dV_t[m] = c_t K_t . G[., m]. */
    private void flowBackColumns(int gid) {
        int seq = s0;
        int e = s1;
        int w = 7 * e + 6;
        int sc = 7 * e;
        int b = gid / e;
        int m = gid - b * e;
        int head = b * seq * e;
        int gOff = a1 + head;
        int sOff = a2 + b * seq * w;
        int dvOff = a4 + 2 * s2 + head;
        int st = a3 + gid * e;
        for (int d = 0; d < e; d++) {
            mem[st + d] = 0f;
        }
        for (int i = 0; i < seq; i++) {
            int t = seq - 1 - i;
            int r = sOff + t * w;
            float dy = mem[r + sc + 5] * mem[gOff + t * e + m];
            float qs = mem[r + sc] / (float) (t + 1);
            float dw = 0f;
            for (int d = 0; d < e; d++) {
                float acc = mem[st + d] + mem[r + d] * qs * dy;
                mem[st + d] = acc;
                dw += acc * mem[r + e + d];
            }
            mem[dvOff + t * e + m] = mem[r + sc + 4] * dw;
        }
    }

    /**
     * One head's gradients through the flows, backwards over positions (each cumulative sum of the
     * forward pass a running sum over later positions here): reads dQs and h where {@link
     * #flowBackRows} left them and overwrites them with the gradients of q and k. Four running
     * vectors of e floats at a3 + b 4e.
     */
    private void flowBackScan(int b) {
        int seq = s0;
        int e = s1;
        int w = 7 * e + 6;
        int sc = 7 * e;
        int head = b * seq * e;
        int gOff = a1 + head;
        int sOff = a2 + b * seq * w;
        int dqOff = a4 + head;
        int dkOff = a4 + s2 + head;
        int accR = a3 + b * 4 * e;
        int accP = accR + e;
        int accKSum = accR + 2 * e;
        int accQSum = accR + 3 * e;
        for (int j = 0; j < 4 * e; j++) {
            mem[accR + j] = 0f;
        }
        float accExpSum = 0f;
        for (int i = 0; i < seq; i++) {
            int t = seq - 1 - i;
            int r = sOff + t * w;
            float nt = (float) (t + 1);
            float inFlow = mem[r + sc];
            float outFlow = mem[r + sc + 1];
            float bt = mem[r + sc + 2];
            float expSum = mem[r + sc + 3];
            float comp = mem[r + sc + 4];
            float alloc = mem[r + sc + 5];
            float expB = exp(max(-1f, min(1f, bt)));
            float dAlloc = 0f;
            float dComp = 0f;
            for (int m = 0; m < e; m++) {
                dAlloc += mem[gOff + t * e + m] * mem[r + 6 * e + m];
            }
            for (int d = 0; d < e; d++) {
                dComp += mem[r + e + d] * mem[dkOff + t * e + d];
            }
            float dA = dAlloc * alloc * (1f - alloc);
            accExpSum += -dComp * nt * expB / (expSum * expSum);
            float dExpB = dComp * nt / expSum + accExpSum;
            float dB = 0f;
            if (bt >= -1f && bt <= 1f) {
                dB = dExpB * expB;
            }
            float dI = 0f;
            float dO = 0f;
            for (int d = 0; d < e; d++) {
                float q = mem[r + d];
                float k = mem[r + e + d];
                float dk = comp * mem[dkOff + t * e + d];
                dk += dB * (mem[r + 5 * e + d] + FLOW_EPS) / nt;
                mem[accR + d] += dB * (k + FLOW_EPS) / nt;
                float dQi = mem[accR + d] + mem[dqOff + t * e + d] / nt;
                float dq = dA * (mem[r + 4 * e + d] + FLOW_EPS) / nt;
                mem[accP + d] += dA * (q + FLOW_EPS) / nt;
                float dKo = mem[accP + d];
                dq += dQi * inFlow;
                dI += dQi * q;
                dk += dKo * outFlow;
                dO += dKo * k;
                mem[dqOff + t * e + d] = dq;
                mem[dkOff + t * e + d] = dk;
            }
            float dIn = -dI * inFlow * inFlow / nt;
            float dOut = -dO * outFlow * outFlow / nt;
            for (int d = 0; d < e; d++) {
                float q = mem[r + d];
                float k = mem[r + e + d];
                float dq = mem[dqOff + t * e + d] + dIn * (mem[r + 2 * e + d] + FLOW_EPS);
                mem[accKSum + d] += dIn * (q + FLOW_EPS);
                float dk = mem[dkOff + t * e + d] + dOut * (mem[r + 3 * e + d] + FLOW_EPS);
                mem[accQSum + d] += dOut * (k + FLOW_EPS);
                dk += mem[accKSum + d];
                dq += mem[accQSum + d];
                mem[dqOff + t * e + d] = dq * q * (1f - q);
                mem[dkOff + t * e + d] = dk * k * (1f - k);
            }
        }
    }
}
