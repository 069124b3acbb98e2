/*
 * Element-wise ops (DeviceKernel codes 3-12, 30, 34): one work item per element of [0, n).
 * Exact translations of the Java op bodies in DeviceKernel.run() and DeviceKernel.adam().
 */

/* Fill: a0 x; f0 value. */
__kernel void op_3_fill(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    mem[A.a0 + gid] = A.f0;
}

/* Copy: a0 src, a1 dst. */
__kernel void op_4_copy(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    mem[A.a1 + gid] = mem[A.a0 + gid];
}

/* Copy columns: s0 width, s1 src cols, s2 dst cols; a0 src (at its first column), a1 dst (likewise). */
__kernel void op_5_copy_columns(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    int r = gid / A.s0;
    int j = gid - r * A.s0;
    mem[A.a1 + r * A.s2 + j] = mem[A.a0 + r * A.s1 + j];
}

/* out = f0 x + f1 y: a0 x, a1 y, a2 out. */
__kernel void op_6_axpby(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    mem[A.a2 + gid] = A.f0 * mem[A.a0 + gid] + A.f1 * mem[A.a1 + gid];
}

/* out = x y: a0 x, a1 y, a2 out. */
__kernel void op_7_multiply(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    mem[A.a2 + gid] = mem[A.a0 + gid] * mem[A.a1 + gid];
}

/* Heun step: out = x + f0 (v1 + v2): a0 x, a1 v1, a2 v2, a3 out; f0 = h / 2. */
__kernel void op_8_heun(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    mem[A.a3 + gid] = mem[A.a0 + gid] + A.f0 * (mem[A.a1 + gid] + mem[A.a2 + gid]);
}

/* RK4 step: out = x + f0 ((k1 + k4) + 2 (k2 + k3)): a0 x, a1 k1, a2 k2, a3 k3, a4 k4, a5 out; f0 = h / 6. */
__kernel void op_9_rk4(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    mem[A.a5 + gid] = mem[A.a0 + gid]
            + A.f0 * ((mem[A.a1 + gid] + mem[A.a4 + gid]) + 2.0f * (mem[A.a2 + gid] + mem[A.a3 + gid]));
}

/*
 * Adam: a0 params, a1 grads, a2 m, a3 v; f0 lr, f1 beta1, f2 beta2, f3 eps, f4 1-beta1^t, f5 1-beta2^t;
 * AdamW's decay first where the mask at a4 (when a4 >= 0) is non-zero: p = f6 p.
 */
__kernel void op_10_adam(__global float* mem, const Args A) {
    int i = get_global_id(0);
    if (i >= A.n) return;
    float p = mem[A.a0 + i];
    if (A.a4 >= 0) {
        if (mem[A.a4 + i] != 0.0f) {
            p = A.f6 * p;
        }
    }
    float g = mem[A.a1 + i];
    float mi = A.f1 * mem[A.a2 + i] + (1.0f - A.f1) * g;
    float vi = A.f2 * mem[A.a3 + i] + (1.0f - A.f2) * g * g;
    mem[A.a2 + i] = mi;
    mem[A.a3 + i] = vi;
    mem[A.a0 + i] = p - A.f0 * (mi / A.f4) / (sqrt(vi / A.f5) + A.f3);
}

/* y = activation s0 of x: a0 x, a1 y. */
__kernel void op_11_activate(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    mem[A.a1 + gid] = activation(A.s0, mem[A.a0 + gid]);
}

/* dx = dy * slope of activation s0 at x: a0 x (pre-activation), a1 dy, a2 dx. */
__kernel void op_12_activate_backward(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    mem[A.a2 + gid] = mem[A.a1 + gid] * activationSlope(A.s0, mem[A.a0 + gid]);
}

/*
 * Copy with four floats per work item: s0 floats from a0 to a1, n = ceil(s0 / 4) items.
 * DeviceKernel's mapping (item gid copies gid + q n, q = 0..3) is kept when an offset is not a
 * multiple of 4. When both are, item gid copies the contiguous floats 4 gid .. 4 gid + 3 instead
 * (one float4 load and store when all four lie below s0, else one by one those below s0): the
 * items [0, n) cover [0, 4 n), which holds [0, s0), each float exactly once, with the same values.
 */
__kernel void op_30_copy_wide(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    if ((A.a0 & 3) == 0 && (A.a1 & 3) == 0) {
        int at0 = gid * COPY_PER_ITEM;
        if (at0 + 3 < A.s0) {
            ((__global float4*) (mem + A.a1))[gid] = ((__global const float4*) (mem + A.a0))[gid];
        } else {
            for (int q = 0; q < COPY_PER_ITEM; q++) {
                int at = at0 + q;
                if (at < A.s0) {
                    mem[A.a1 + at] = mem[A.a0 + at];
                }
            }
        }
    } else {
        for (int q = 0; q < COPY_PER_ITEM; q++) {
            int at = gid + q * A.n;
            if (at < A.s0) {
                mem[A.a1 + at] = mem[A.a0 + at];
            }
        }
    }
}

/* Fill the same way: s0 floats at a0 with f0 (float4 stores when a0 is a multiple of 4). */
__kernel void op_34_fill_wide(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    if ((A.a0 & 3) == 0) {
        int at0 = gid * COPY_PER_ITEM;
        if (at0 + 3 < A.s0) {
            ((__global float4*) (mem + A.a0))[gid] = (float4) (A.f0);
        } else {
            for (int q = 0; q < COPY_PER_ITEM; q++) {
                int at = at0 + q;
                if (at < A.s0) {
                    mem[A.a0 + at] = A.f0;
                }
            }
        }
    } else {
        for (int q = 0; q < COPY_PER_ITEM; q++) {
            int at = gid + q * A.n;
            if (at < A.s0) {
                mem[A.a0 + at] = A.f0;
            }
        }
    }
}
