/*
 * Channel statistics and batch-style normalisation (DeviceKernel's ops 101..106, channelOp):
 * tensors [batch, channels, spatial]. s0 channels, s1 spatial, s2 batch rows, s3 partial mode.
 */

/* Partial modes: the sum of x; of (x - center)^2; of dy (into a3) and dy (x - center) (into a4). */
#define CHANNEL_SUM 0
#define CHANNEL_SQUARED_DEVIATIONS 1
#define CHANNEL_GRADIENT 2

/* mem[at + c], or 0 for an absent buffer (at < 0). */
float channelValue(__global const float* mem, int at, int c) {
    float v = 0.0f;
    if (at >= 0) {
        v = mem[at + c];
    }
    return v;
}

/* Sum of dy (x - c) over a row of both, with four running partials. */
float rowDotCentered(__global const float* mem, int offX, int offDy, int len, float c) {
    float t0 = 0.0f;
    float t1 = 0.0f;
    float t2 = 0.0f;
    float t3 = 0.0f;
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

/*
 * Block partials per (block, channel): a0 x, a1 center, a2 dy, a3/a4 partials; s3 mode.
 * One (block, channel): the rows of the block in order, each row's spatial values summed.
 */
__kernel void op_101_channel_partials(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    int channels = A.s0;
    int spatial = A.s1;
    int blk = gid / channels;
    int c = gid - blk * channels;
    int n0 = blk * BLOCK_ROWS;
    int n1 = min(A.s2, n0 + BLOCK_ROWS);
    float m = channelValue(mem, A.a1, c);
    float ta = 0.0f;
    float tb = 0.0f;
    for (int nr = n0; nr < n1; nr++) {
        int p = (nr * channels + c) * spatial;
        if (A.s3 == CHANNEL_SUM) {
            ta += rowSum(mem, A.a0 + p, spatial);
        } else if (A.s3 == CHANNEL_SQUARED_DEVIATIONS) {
            ta += rowSquaredDeviations(mem, A.a0 + p, spatial, m);
        } else {
            if (A.a3 >= 0) {
                ta += rowSum(mem, A.a2 + p, spatial);
            }
            if (A.a4 >= 0) {
                tb += rowDotCentered(mem, A.a0 + p, A.a2 + p, spatial, m);
            }
        }
    }
    if (A.a3 >= 0) {
        mem[A.a3 + gid] = ta;
    }
    if (A.s3 == CHANNEL_GRADIENT && A.a4 >= 0) {
        mem[A.a4 + gid] = tb;
    }
}

/* out[c] = (sum of the block partials of channel c in block order) / f0: a0 partials, a1 out, s2 blocks. */
__kernel void op_102_channel_finish(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    int c = gid;
    int channels = A.s0;
    float t = mem[A.a0 + c];
    for (int blk = 1; blk < A.s2; blk++) {
        t += mem[A.a0 + blk * channels + c];
    }
    mem[A.a1 + c] = t / A.f0;
}

/* y = (x - center) scale + shift: a0 x, a1 center, a2 scale, a3 shift, a4 y. */
__kernel void op_103_channel_normalize(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    int c = (gid / A.s1) % A.s0;
    mem[A.a4 + gid] = (mem[A.a0 + gid] - channelValue(mem, A.a1, c)) * mem[A.a2 + c] + channelValue(mem, A.a3, c);
}

/* dx = dyScale dy + xScale (x - center) + shift: a0 x, a1 center, a2 dy, a3 dyScale, a4 xScale, a5 shift, a6 dx. */
__kernel void op_104_channel_backward(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    int c = (gid / A.s1) % A.s0;
    mem[A.a6 + gid] = mem[A.a3 + c] * mem[A.a2 + gid]
            + channelValue(mem, A.a4, c) * (mem[A.a0 + gid] - channelValue(mem, A.a1, c))
            + channelValue(mem, A.a5, c);
}

/* EvoNorm's u: a0 x, a1 v, a2 rowStat, a3 channelStat, a4 u; s2 row length, s3 kind (0 B0, 1 S0). */
__kernel void op_105_evo_norm(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    int c = (gid / A.s1) % A.s0;
    float xi = mem[A.a0 + gid];
    float vc = mem[A.a1 + c];
    float r = mem[A.a2 + gid / A.s2];
    if (A.s3 == 0) {
        mem[A.a4 + gid] = xi / fmax(mem[A.a3 + c], vc * xi + r);
    } else {
        float sig = 1.0f / (1.0f + exp(-vc * xi));
        mem[A.a4 + gid] = xi * sig * r;
    }
}

/*
 * EvoNorm's gradient terms: a0 x, a1 v, a2 rowStat, a3 channelStat, a4 g, a5 dx, a6 dv, a7 row,
 * a8 channel terms (or -1); s2 row length, s3 kind (0 B0, 1 S0).
 */
__kernel void op_106_evo_norm_backward(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    int c = (gid / A.s1) % A.s0;
    float xi = mem[A.a0 + gid];
    float vc = mem[A.a1 + c];
    float r = mem[A.a2 + gid / A.s2];
    float gi = mem[A.a4 + gid];
    if (A.s3 == 0) {
        float a = mem[A.a3 + c];
        float t = vc * xi + r;
        if (t > a) {
            float inv = 1.0f / t;
            float q = gi * inv * inv;
            mem[A.a5 + gid] = q * r;
            mem[A.a6 + gid] = -q * xi * xi;
            mem[A.a7 + gid] = -q * xi;
            if (A.a8 >= 0) {
                mem[A.a8 + gid] = 0.0f;
            }
        } else {
            mem[A.a5 + gid] = gi / a;
            mem[A.a6 + gid] = 0.0f;
            mem[A.a7 + gid] = 0.0f;
            if (A.a8 >= 0) {
                mem[A.a8 + gid] = -gi * xi / (a * a);
            }
        }
    } else {
        float sig = 1.0f / (1.0f + exp(-vc * xi));
        float slope = sig * (1.0f - sig);
        mem[A.a5 + gid] = gi * r * (sig + vc * xi * slope);
        mem[A.a6 + gid] = gi * r * xi * xi * slope;
        mem[A.a7 + gid] = gi * xi * sig;
    }
}
