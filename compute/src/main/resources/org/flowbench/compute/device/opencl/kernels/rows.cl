/*
 * Row ops (DeviceKernel codes 18-24, 26-29, 32, 33): layer norm and RMS norm rows, their input
 * gradients and the block (or direct) column sums of their parameter gradients, and the row
 * reductions; one work item per row or (block, column) or column, except codes 26-29, which take
 * one work-group per row (a power-of-two group size, 32 to 256). Exact translations of
 * DeviceKernel's Java op bodies.
 */

/* gamma[j] at a1, or 1 when a1 < 0. */
float gammaAt(__global const float* mem, int a1, int j) {
    float g = 1.0f;
    if (a1 >= 0) {
        g = mem[a1 + j];
    }
    return g;
}

// ----------------------------------------------------------------------------------------------
// LayerNorm: s0 cols, s1 rows; a0 x, a1 gamma, a2 beta or mean, a3 y or rstd, a4 mean or dy,
// a5 rstd or dx or dgamma partials, a6 dbeta partials; f0 eps

/* One row: mean, rstd, y = (x - mean) rstd gamma + beta. a0 x, a1 gamma, a2 beta, a3 y, a4 mean, a5 rstd. */
__kernel void op_18_layer_norm(__global float* mem, const Args A) {
    int r = get_global_id(0);
    if (r >= A.n) return;
    int cols = A.s0;
    int xr = A.a0 + r * cols;
    int yr = A.a3 + r * cols;
    float mu = rowSum(mem, xr, cols) / cols;
    float var = rowSquaredDeviations(mem, xr, cols, mu) / cols;
    float rs = 1.0f / sqrt(var + A.f0);
    mem[A.a4 + r] = mu;
    mem[A.a5 + r] = rs;
    for (int j = 0; j < cols; j++) {
        float t = (mem[xr + j] - mu) * rs;
        if (A.a1 >= 0) {
            t = t * mem[A.a1 + j];
        }
        if (A.a2 >= 0) {
            t = t + mem[A.a2 + j];
        }
        mem[yr + j] = t;
    }
}

/* One row of dx = rstd (g dy - mean(g dy) - xhat mean(g dy xhat)). a0 x, a1 gamma, a2 mean, a3 rstd, a4 dy, a5 dx. */
__kernel void op_19_layer_norm_dx(__global float* mem, const Args A) {
    int r = get_global_id(0);
    if (r >= A.n) return;
    int cols = A.s0;
    int xr = A.a0 + r * cols;
    int dyr = A.a4 + r * cols;
    int dxr = A.a5 + r * cols;
    float mu = mem[A.a2 + r];
    float rs = mem[A.a3 + r];
    float sa0 = 0.0f;
    float sa1 = 0.0f;
    float sa2 = 0.0f;
    float sa3 = 0.0f;
    float sc0 = 0.0f;
    float sc1 = 0.0f;
    float sc2 = 0.0f;
    float sc3 = 0.0f;
    int j = 0;
    for (; j + 3 < cols; j += 4) {
        float e0 = mem[dyr + j] * gammaAt(mem, A.a1, j);
        float e1 = mem[dyr + j + 1] * gammaAt(mem, A.a1, j + 1);
        float e2 = mem[dyr + j + 2] * gammaAt(mem, A.a1, j + 2);
        float e3 = mem[dyr + j + 3] * gammaAt(mem, A.a1, j + 3);
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
        float e = mem[dyr + j] * gammaAt(mem, A.a1, j);
        sa0 += e;
        sc0 += e * ((mem[xr + j] - mu) * rs);
    }
    float meanG = ((sa0 + sa1) + (sa2 + sa3)) / cols;
    float meanGx = ((sc0 + sc1) + (sc2 + sc3)) / cols;
    for (int k = 0; k < cols; k++) {
        float xhat = (mem[xr + k] - mu) * rs;
        mem[dxr + k] = rs * (mem[dyr + k] * gammaAt(mem, A.a1, k) - meanG - xhat * meanGx);
    }
}

/* Block partials of dgamma = sum dy xhat and dbeta = sum dy. a0 x, a2 mean, a3 rstd, a4 dy, a5/a6 partials. */
__kernel void op_20_layer_norm_partials(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    int cols = A.s0;
    int blk = gid / cols;
    int j = gid - blk * cols;
    int r0 = blk * BLOCK_ROWS;
    int r1 = min(A.s1, r0 + BLOCK_ROWS);
    float tg = 0.0f;
    float tb = 0.0f;
    for (int r = r0; r < r1; r++) {
        float d = mem[A.a4 + r * cols + j];
        tg += d * ((mem[A.a0 + r * cols + j] - mem[A.a2 + r]) * mem[A.a3 + r]);
        tb += d;
    }
    if (A.a5 >= 0) {
        mem[A.a5 + gid] = tg;
    }
    if (A.a6 >= 0) {
        mem[A.a6 + gid] = tb;
    }
}

/* dgamma[j] = sum dy xhat and dbeta[j] = sum dy, by blocks of rows. a0 x, a2 mean, a3 rstd, a4 dy, a5 dgamma, a6 dbeta. */
__kernel void op_32_layer_norm_sums_direct(__global float* mem, const Args A) {
    int j = get_global_id(0);
    if (j >= A.n) return;
    int cols = A.s0;
    float totalG = 0.0f;
    float totalB = 0.0f;
    for (int r0 = 0; r0 < A.s1; r0 += BLOCK_ROWS) {
        int r1 = min(A.s1, r0 + BLOCK_ROWS);
        float tg = 0.0f;
        float tb = 0.0f;
        for (int r = r0; r < r1; r++) {
            float d = mem[A.a4 + r * cols + j];
            tg += d * ((mem[A.a0 + r * cols + j] - mem[A.a2 + r]) * mem[A.a3 + r]);
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
    if (A.a5 >= 0) {
        mem[A.a5 + j] = totalG;
    }
    if (A.a6 >= 0) {
        mem[A.a6 + j] = totalB;
    }
}

// ----------------------------------------------------------------------------------------------
// RMSNorm: s0 cols, s1 rows; a0 x, a1 gamma, a2 rrms, a3 y, a4 rrms or dy, a5 dx or partials; f0 eps

/* One row: rrms = 1/sqrt(mean(x^2) + eps), y = x rrms gamma. a0 x, a1 gamma, a3 y, a4 rrms. */
__kernel void op_21_rms_norm(__global float* mem, const Args A) {
    int r = get_global_id(0);
    if (r >= A.n) return;
    int cols = A.s0;
    int xr = A.a0 + r * cols;
    int yr = A.a3 + r * cols;
    float ms = rowSquaredDeviations(mem, xr, cols, 0.0f) / cols;
    float rr = 1.0f / sqrt(ms + A.f0);
    mem[A.a4 + r] = rr;
    for (int j = 0; j < cols; j++) {
        mem[yr + j] = mem[xr + j] * rr * gammaAt(mem, A.a1, j);
    }
}

/* One row of dx = rrms (g dy - x rrms^2 mean(g dy x)). a0 x, a1 gamma, a2 rrms, a4 dy, a5 dx. */
__kernel void op_22_rms_norm_dx(__global float* mem, const Args A) {
    int r = get_global_id(0);
    if (r >= A.n) return;
    int cols = A.s0;
    int xr = A.a0 + r * cols;
    int dyr = A.a4 + r * cols;
    int dxr = A.a5 + r * cols;
    float rr = mem[A.a2 + r];
    float sc0 = 0.0f;
    float sc1 = 0.0f;
    float sc2 = 0.0f;
    float sc3 = 0.0f;
    int j = 0;
    for (; j + 3 < cols; j += 4) {
        sc0 += mem[dyr + j] * gammaAt(mem, A.a1, j) * mem[xr + j];
        sc1 += mem[dyr + j + 1] * gammaAt(mem, A.a1, j + 1) * mem[xr + j + 1];
        sc2 += mem[dyr + j + 2] * gammaAt(mem, A.a1, j + 2) * mem[xr + j + 2];
        sc3 += mem[dyr + j + 3] * gammaAt(mem, A.a1, j + 3) * mem[xr + j + 3];
    }
    for (; j < cols; j++) {
        sc0 += mem[dyr + j] * gammaAt(mem, A.a1, j) * mem[xr + j];
    }
    float k = rr * rr * (((sc0 + sc1) + (sc2 + sc3)) / cols);
    for (int i = 0; i < cols; i++) {
        mem[dxr + i] = rr * (mem[dyr + i] * gammaAt(mem, A.a1, i) - mem[xr + i] * k);
    }
}

/* Block partial of dgamma = sum dy x rrms. a0 x, a2 rrms, a4 dy, a5 partials. */
__kernel void op_23_rms_norm_partials(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    int cols = A.s0;
    int blk = gid / cols;
    int j = gid - blk * cols;
    int r0 = blk * BLOCK_ROWS;
    int r1 = min(A.s1, r0 + BLOCK_ROWS);
    float t = 0.0f;
    for (int r = r0; r < r1; r++) {
        t += mem[A.a4 + r * cols + j] * (mem[A.a0 + r * cols + j] * mem[A.a2 + r]);
    }
    mem[A.a5 + gid] = t;
}

/* dgamma[j] = sum dy x rrms, by blocks of rows. a0 x, a2 rrms, a4 dy, a5 dgamma. */
__kernel void op_33_rms_norm_sums_direct(__global float* mem, const Args A) {
    int j = get_global_id(0);
    if (j >= A.n) return;
    int cols = A.s0;
    float total = 0.0f;
    for (int r0 = 0; r0 < A.s1; r0 += BLOCK_ROWS) {
        int r1 = min(A.s1, r0 + BLOCK_ROWS);
        float t = 0.0f;
        for (int r = r0; r < r1; r++) {
            t += mem[A.a4 + r * cols + j] * (mem[A.a0 + r * cols + j] * mem[A.a2 + r]);
        }
        if (r0 == 0) {
            total = t;
        } else {
            total += t;
        }
    }
    mem[A.a5 + j] = total;
}

// ----------------------------------------------------------------------------------------------
// Row reductions: s0 cols, s1 reduction code; a0 x, a1 out

__kernel void op_24_reduce_rows(__global float* mem, const Args A) {
    int r = get_global_id(0);
    if (r >= A.n) return;
    int cols = A.s0;
    int xr = A.a0 + r * cols;
    float result = 0.0f;
    if (A.s1 == RED_SUM) {
        result = rowSum(mem, xr, cols);
    } else if (A.s1 == RED_MEAN) {
        result = rowSum(mem, xr, cols) / cols;
    } else if (A.s1 == RED_VARIANCE) {
        float mu = rowSum(mem, xr, cols) / cols;
        result = rowSquaredDeviations(mem, xr, cols, mu) / cols;
    } else if (A.s1 == RED_MAX_ABS) {
        for (int j = 0; j < cols; j++) {
            result = fmax(result, fabs(mem[xr + j]));
        }
    }
    mem[A.a1 + r] = result;
}

// ----------------------------------------------------------------------------------------------
// Norm rows with one work-group per row (arguments as codes 18, 19, 21 and 22). The group size
// is a power of two up to 256; every item of the group runs to the group's barriers, so none
// returns early. The local scratch holds 256 floats, one per item.

/*
 * The work-group's sum of v (tree reduction in scratch); every item gets it. Every item of the
 * group must call it.
 */
float groupSum(__local float* scratch, float v) {
    int lid = get_local_id(0);
    scratch[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int width = (int) get_local_size(0) / 2; width > 0; width = width / 2) {
        if (lid < width) {
            scratch[lid] = scratch[lid] + scratch[lid + width];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float total = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return total;
}

/*
 * The row-group kernels (codes 26-29) read a row once: each item holds its first ROW_CACHE values
 * of x (and dy) in registers between the passes, rows up to ROW_CACHE x the group size (2,048 floats
 * at 256 items) entirely; the sums are the same, in the same order, as reading memory again. The
 * loops over the cache are unrolled so that a GPU compiler keeps it in registers: an array indexed
 * by a loop variable it does not unroll goes to per-item memory.
 */
#define ROW_CACHE 8

/* One output of a layer-norm row: (x - mu) rs, times gamma[j] (a1) and plus beta[j] (a2) where given. */
FORCE_INLINE float layerNormOutput(__global const float* mem, const Args* A, int j, float x, float mu, float rs) {
    float v = (x - mu) * rs;
    if (A->a1 >= 0) {
        v = v * mem[A->a1 + j];
    }
    if (A->a2 >= 0) {
        v = v + mem[A->a2 + j];
    }
    return v;
}

/* Code 18 (layer norm) for the row of this work-group. */
__kernel void op_26_layer_norm_groups(__global float* mem, const Args A) {
    __local float scratch[256];
    int r = get_group_id(0);
    int lid = get_local_id(0);
    int size = get_local_size(0);
    int cols = A.s0;
    int xr = A.a0 + r * cols;
    int yr = A.a3 + r * cols;
    int rest = lid + ROW_CACHE * size;
    float xs[ROW_CACHE];
    float t = 0.0f;
    #pragma unroll
    for (int k = 0; k < ROW_CACHE; k++) {
        int j = lid + k * size;
        if (j < cols) {
            xs[k] = mem[xr + j];
            t += xs[k];
        }
    }
    for (int j = rest; j < cols; j += size) {
        t += mem[xr + j];
    }
    float mu = groupSum(scratch, t) / cols;
    float q = 0.0f;
    #pragma unroll
    for (int k = 0; k < ROW_CACHE; k++) {
        if (lid + k * size < cols) {
            float d = xs[k] - mu;
            q += d * d;
        }
    }
    for (int j = rest; j < cols; j += size) {
        float d = mem[xr + j] - mu;
        q += d * d;
    }
    float rs = 1.0f / sqrt(groupSum(scratch, q) / cols + A.f0);
    if (lid == 0) {
        mem[A.a4 + r] = mu;
        mem[A.a5 + r] = rs;
    }
    #pragma unroll
    for (int k = 0; k < ROW_CACHE; k++) {
        int j = lid + k * size;
        if (j < cols) {
            mem[yr + j] = layerNormOutput(mem, &A, j, xs[k], mu, rs);
        }
    }
    for (int j = rest; j < cols; j += size) {
        mem[yr + j] = layerNormOutput(mem, &A, j, mem[xr + j], mu, rs);
    }
}

/* Code 19 (layer norm input gradient) for the row of this work-group. */
__kernel void op_27_layer_norm_dx_groups(__global float* mem, const Args A) {
    __local float scratch[256];
    __local float scratchB[256];
    int r = get_group_id(0);
    int lid = get_local_id(0);
    int size = get_local_size(0);
    int cols = A.s0;
    int xr = A.a0 + r * cols;
    int dyr = A.a4 + r * cols;
    int dxr = A.a5 + r * cols;
    int rest = lid + ROW_CACHE * size;
    float mu = mem[A.a2 + r];
    float rs = mem[A.a3 + r];
    float xs[ROW_CACHE];
    float dys[ROW_CACHE];
    float sa = 0.0f;
    float sc = 0.0f;
    #pragma unroll
    for (int k = 0; k < ROW_CACHE; k++) {
        int j = lid + k * size;
        if (j < cols) {
            xs[k] = mem[xr + j];
            dys[k] = mem[dyr + j];
            float e = dys[k] * gammaAt(mem, A.a1, j);
            sa += e;
            sc += e * ((xs[k] - mu) * rs);
        }
    }
    for (int j = rest; j < cols; j += size) {
        float e = mem[dyr + j] * gammaAt(mem, A.a1, j);
        sa += e;
        sc += e * ((mem[xr + j] - mu) * rs);
    }
    float meanG = groupSum(scratch, sa) / cols;
    float meanGx = groupSum(scratchB, sc) / cols;
    #pragma unroll
    for (int k = 0; k < ROW_CACHE; k++) {
        int j = lid + k * size;
        if (j < cols) {
            float xhat = (xs[k] - mu) * rs;
            mem[dxr + j] = rs * (dys[k] * gammaAt(mem, A.a1, j) - meanG - xhat * meanGx);
        }
    }
    for (int j = rest; j < cols; j += size) {
        float xhat = (mem[xr + j] - mu) * rs;
        mem[dxr + j] = rs * (mem[dyr + j] * gammaAt(mem, A.a1, j) - meanG - xhat * meanGx);
    }
}

/* Code 21 (RMS norm) for the row of this work-group. */
__kernel void op_28_rms_norm_groups(__global float* mem, const Args A) {
    __local float scratch[256];
    int r = get_group_id(0);
    int lid = get_local_id(0);
    int size = get_local_size(0);
    int cols = A.s0;
    int xr = A.a0 + r * cols;
    int yr = A.a3 + r * cols;
    int rest = lid + ROW_CACHE * size;
    float xs[ROW_CACHE];
    float q = 0.0f;
    #pragma unroll
    for (int k = 0; k < ROW_CACHE; k++) {
        int j = lid + k * size;
        if (j < cols) {
            xs[k] = mem[xr + j];
            q += xs[k] * xs[k];
        }
    }
    for (int j = rest; j < cols; j += size) {
        float v = mem[xr + j];
        q += v * v;
    }
    float rr = 1.0f / sqrt(groupSum(scratch, q) / cols + A.f0);
    if (lid == 0) {
        mem[A.a4 + r] = rr;
    }
    #pragma unroll
    for (int k = 0; k < ROW_CACHE; k++) {
        int j = lid + k * size;
        if (j < cols) {
            mem[yr + j] = xs[k] * rr * gammaAt(mem, A.a1, j);
        }
    }
    for (int j = rest; j < cols; j += size) {
        mem[yr + j] = mem[xr + j] * rr * gammaAt(mem, A.a1, j);
    }
}

/* Code 22 (RMS norm input gradient) for the row of this work-group. */
__kernel void op_29_rms_norm_dx_groups(__global float* mem, const Args A) {
    __local float scratch[256];
    int r = get_group_id(0);
    int lid = get_local_id(0);
    int size = get_local_size(0);
    int cols = A.s0;
    int xr = A.a0 + r * cols;
    int dyr = A.a4 + r * cols;
    int dxr = A.a5 + r * cols;
    int rest = lid + ROW_CACHE * size;
    float rr = mem[A.a2 + r];
    float xs[ROW_CACHE];
    float dys[ROW_CACHE];
    float sc = 0.0f;
    #pragma unroll
    for (int k = 0; k < ROW_CACHE; k++) {
        int j = lid + k * size;
        if (j < cols) {
            xs[k] = mem[xr + j];
            dys[k] = mem[dyr + j];
            sc += dys[k] * gammaAt(mem, A.a1, j) * xs[k];
        }
    }
    for (int j = rest; j < cols; j += size) {
        sc += mem[dyr + j] * gammaAt(mem, A.a1, j) * mem[xr + j];
    }
    float k = rr * rr * (groupSum(scratch, sc) / cols);
    for (int c = 0; c < ROW_CACHE; c++) {
        int j = lid + c * size;
        if (j < cols) {
            mem[dxr + j] = rr * (dys[c] * gammaAt(mem, A.a1, j) - xs[c] * k);
        }
    }
    for (int j = rest; j < cols; j += size) {
        mem[dxr + j] = rr * (mem[dyr + j] * gammaAt(mem, A.a1, j) - mem[xr + j] * k);
    }
}
