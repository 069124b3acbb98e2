/*
 * Products and column sums (DeviceKernel codes 13-17, 25, 31, 35): the simple dense kernels, one
 * work item per output element; the block column sums; and the tiled products, one work-group of
 * GEMM_THREADS items per tile of C. Exact translations of DeviceKernel's Java op bodies.
 */

// ----------------------------------------------------------------------------------------------
// Dense: s0 in, s1 out, s2 rows; a0 x, a1 w, a2 bias or dy, a3 y or dx or dw

/*
 * y[r, o] = bias[o] + sum_k x[r, k] w[k, o]; one work item per output element, o fastest. With
 * s3 = 1, y is the activation s2 of that and z at a4 (when a4 >= 0) the value before it; with a5
 * >= 0, y is the residual at a5 plus it and z at a4 (when a4 >= 0) the value before the sum.
 */
__kernel void op_13_dense_forward(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    int in = A.s0;
    int out = A.s1;
    int r = gid / out;
    int o = gid - r * out;
    int xr = A.a0 + r * in;
    float t = 0.0f;
    for (int k = 0; k < in; k++) {
        t += mem[xr + k] * mem[A.a1 + k * out + o];
    }
    if (A.a2 >= 0) {
        t += mem[A.a2 + o];
    }
    if (A.a5 >= 0) {
        if (A.a4 >= 0) {
            mem[A.a4 + gid] = t;
        }
        t = mem[A.a5 + gid] + t;
    }
    if (A.s3 == 1) {
        if (A.a4 >= 0) {
            mem[A.a4 + gid] = t;
        }
        t = activation(A.s2, t);
    }
    mem[A.a3 + gid] = t;
}

/* dx[r, i] = sum_o dy[r, o] w[i, o]: a1 w, a2 dy, a3 dx. */
__kernel void op_14_dense_dx(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    int in = A.s0;
    int out = A.s1;
    int r = gid / in;
    int i = gid - r * in;
    mem[A.a3 + gid] = rowDot(mem, A.a2 + r * out, A.a1 + i * out, out);
}

/* dw[i, o] = sum_r x[r, i] dy[r, o]: a0 x, a2 dy, a3 dw. */
__kernel void op_15_dense_dw(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    int in = A.s0;
    int out = A.s1;
    int rows = A.s2;
    int i = gid / out;
    int o = gid - i * out;
    float t = 0.0f;
    for (int r = 0; r < rows; r++) {
        t += mem[A.a0 + r * in + i] * mem[A.a2 + r * out + o];
    }
    mem[A.a3 + gid] = t;
}

// ----------------------------------------------------------------------------------------------
// Column sums by blocks: s0 cols, s1 rows (partials) or blocks (sum); a0 source, a1 target

/* partial[blk, j] = sum of src[r, j] over the rows of block blk, in row order. */
__kernel void op_16_column_partials(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    int cols = A.s0;
    int blk = gid / cols;
    int j = gid - blk * cols;
    int r0 = blk * BLOCK_ROWS;
    int r1 = min(A.s1, r0 + BLOCK_ROWS);
    float t = 0.0f;
    for (int r = r0; r < r1; r++) {
        t += mem[A.a0 + r * cols + j];
    }
    mem[A.a1 + gid] = t;
}

/* out[j] = partial[0, j] + partial[1, j] + ... in block order. */
__kernel void op_17_sum_blocks(__global float* mem, const Args A) {
    int j = get_global_id(0);
    if (j >= A.n) return;
    int cols = A.s0;
    float t = mem[A.a0 + j];
    for (int blk = 1; blk < A.s1; blk++) {
        t += mem[A.a0 + blk * cols + j];
    }
    mem[A.a1 + j] = t;
}

/* out[j] = the sum of src[r, j], by blocks of rows. s0 cols, s1 rows; a0 src, a1 out. */
__kernel void op_31_column_sums_direct(__global float* mem, const Args A) {
    int j = get_global_id(0);
    if (j >= A.n) return;
    int cols = A.s0;
    float total = 0.0f;
    for (int r0 = 0; r0 < A.s1; r0 += BLOCK_ROWS) {
        int r1 = min(A.s1, r0 + BLOCK_ROWS);
        float t = 0.0f;
        for (int r = r0; r < r1; r++) {
            t += mem[A.a0 + r * cols + j];
        }
        if (r0 == 0) {
            total = t;
        } else {
            total += t;
        }
    }
    mem[A.a1 + j] = total;
}

// ----------------------------------------------------------------------------------------------
// The tiled product C = f0 A B (+ bias)
/*
 * A(b, i, p) at a0 + b gemmBatchA + i gemmAi + p gemmAp, B(b, p, j) at a1 + b gemmBatchB + p gemmBp
 * + j gemmBj, C row-major at a2 + b m n, bias[j] at a3 (or -1); with s1 = 1, C = activation s0 of
 * that and z at a4 (or -1) gets the value before the activation (single products only); with a
 * residual at a5 (or -1), C = residual + that and z at a4 the value before the sum. Row gemmOnesRow
 * of A (or -1: none) is all ones rather than loaded, and row gemmOnesRow of C goes to gemmOnesOut:
 * a weight gradient's product carries the bias gradient (column sums of dy) as one more row.
 */

/*
 * The stored value of output (i, j): f0 sum + bias[j]; with s1 = 1 the activation s0 of it, the
 * value before the activation going to z at a4 (when a4 >= 0); with a residual at a5 (when
 * a5 >= 0) that residual plus it, the value before the sum going to z at a4.
 */
FORCE_INLINE float gemmOutput(__global float* mem, const Args* A, int i, int j, float sum) {
    float t = A->f0 * sum;
    if (A->a3 >= 0) {
        t += mem[A->a3 + j];
    }
    if (A->a5 >= 0) {
        if (A->a4 >= 0) {
            mem[A->a4 + i * A->gemmN + j] = t;
        }
        t = mem[A->a5 + i * A->gemmN + j] + t;
    }
    if (A->s1 == 1) {
        if (A->a4 >= 0) {
            mem[A->a4 + i * A->gemmN + j] = t;
        }
        t = activation(A->s0, t);
    }
    return t;
}

/* Four outputs of one row of C, at columns j, j + 16, j + 32, j + 48, those inside C. */
FORCE_INLINE void gemmStoreRow(__global float* mem, const Args* A, int baseC, int i, int j,
                  float v0, float v1, float v2, float v3) {
    if (i < A->gemmM) {
        int row = baseC + i * A->gemmN;
        if (i == A->gemmOnesRow) {
            row = A->gemmOnesOut;
        }
        if (j < A->gemmN) {
            mem[row + j] = gemmOutput(mem, A, i, j, v0);
        }
        if (j + 16 < A->gemmN) {
            mem[row + j + 16] = gemmOutput(mem, A, i, j + 16, v1);
        }
        if (j + 32 < A->gemmN) {
            mem[row + j + 32] = gemmOutput(mem, A, i, j + 32, v2);
        }
        if (j + 48 < A->gemmN) {
            mem[row + j + 48] = gemmOutput(mem, A, i, j + 48, v3);
        }
    }
}

/*
 * One 64 x 64 tile of C per work-group of 256 items, each item accumulating a 4 x 4 block
 * (rows ly + 16 u, columns lx + 16 v) in registers while 64 x 16 slices of A and 16 x 64
 * slices of B pass through local memory. Loads follow whichever of A's and B's strides is 1,
 * so neighbouring work items read neighbouring floats; out-of-range elements load as 0. Each
 * output sums over p in increasing order, like the simple kernels. Groups: gemmTilesPerBatch per
 * batch entry, gemmTilesN tiles per row of tiles.
 */
__kernel __attribute__((reqd_work_group_size(GEMM_THREADS, 1, 1)))
void op_25_gemm_tiled(__global float* mem, const Args A) {
    __local float tileA[GEMM_DEPTH * GEMM_TILE];
    __local float tileB[GEMM_DEPTH * GEMM_TILE];
    int lid = get_local_id(0);
    int group = get_group_id(0);
    int batchIndex = group / A.gemmTilesPerBatch;
    int tile = group - batchIndex * A.gemmTilesPerBatch;
    int tileRow = tile / A.gemmTilesN;
    int i0 = tileRow * GEMM_TILE;
    int j0 = (tile - tileRow * A.gemmTilesN) * GEMM_TILE;
    int baseA = A.a0 + batchIndex * A.gemmBatchA;
    int baseB = A.a1 + batchIndex * A.gemmBatchB;
    int lx = lid % 16;
    int ly = lid / 16;
    float c00 = 0.0f;
    float c01 = 0.0f;
    float c02 = 0.0f;
    float c03 = 0.0f;
    float c10 = 0.0f;
    float c11 = 0.0f;
    float c12 = 0.0f;
    float c13 = 0.0f;
    float c20 = 0.0f;
    float c21 = 0.0f;
    float c22 = 0.0f;
    float c23 = 0.0f;
    float c30 = 0.0f;
    float c31 = 0.0f;
    float c32 = 0.0f;
    float c33 = 0.0f;
    for (int p0 = 0; p0 < A.gemmK; p0 += GEMM_DEPTH) {
        for (int q = 0; q < 4; q++) {
            int e = lid + q * GEMM_THREADS;
            // A slice: element (i, p) of the tile, p fastest when A's rows are contiguous.
            int ia = e % GEMM_TILE;
            int pa = e / GEMM_TILE;
            if (A.gemmAp == 1) {
                ia = e / GEMM_DEPTH;
                pa = e % GEMM_DEPTH;
            }
            float va = 0.0f;
            if (i0 + ia < A.gemmM && p0 + pa < A.gemmK) {
                if (i0 + ia == A.gemmOnesRow) {
                    va = 1.0f;
                } else {
                    va = mem[baseA + (i0 + ia) * A.gemmAi + (p0 + pa) * A.gemmAp];
                }
            }
            tileA[pa * GEMM_TILE + ia] = va;
            // B slice: element (p, j), j fastest when B's rows are contiguous.
            int jb = e % GEMM_TILE;
            int pb = e / GEMM_TILE;
            if (A.gemmBj != 1) {
                jb = e / GEMM_DEPTH;
                pb = e % GEMM_DEPTH;
            }
            float vb = 0.0f;
            if (j0 + jb < A.gemmN && p0 + pb < A.gemmK) {
                vb = mem[baseB + (p0 + pb) * A.gemmBp + (j0 + jb) * A.gemmBj];
            }
            tileB[pb * GEMM_TILE + jb] = vb;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
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
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    int baseC = A.a2 + batchIndex * A.gemmM * A.gemmN;
    int i = i0 + ly;
    gemmStoreRow(mem, &A, baseC, i, j0 + lx, c00, c01, c02, c03);
    gemmStoreRow(mem, &A, baseC, i + 16, j0 + lx, c10, c11, c12, c13);
    gemmStoreRow(mem, &A, baseC, i + 32, j0 + lx, c20, c21, c22, c23);
    gemmStoreRow(mem, &A, baseC, i + 48, j0 + lx, c30, c31, c32, c33);
}

#ifndef GEMM_PIPELINED

/*
 * One 128 x 128 tile of C per work-group of 256 items, each item accumulating an 8 x 8 block
 * (rows ly + 16 u, columns lx + 16 v) while 128 x 8 slices of A and 8 x 128 slices of B pass
 * through local memory (the same local arrays as the 64 x 64 tiles); loads, bounds and summation
 * order as the 64 x 64 product (code 25).
 */
__kernel __attribute__((reqd_work_group_size(GEMM_THREADS, 1, 1)))
void op_35_gemm_tiled_large(__global float* mem, const Args A) {
    __local float tileA[GEMM_DEPTH * GEMM_TILE];
    __local float tileB[GEMM_DEPTH * GEMM_TILE];
    int lid = get_local_id(0);
    int group = get_group_id(0);
    int batchIndex = group / A.gemmTilesPerBatch;
    int tile = group - batchIndex * A.gemmTilesPerBatch;
    int tileRow = tile / A.gemmTilesN;
    int i0 = tileRow * GEMM_LARGE_TILE;
    int j0 = (tile - tileRow * A.gemmTilesN) * GEMM_LARGE_TILE;
    int baseA = A.a0 + batchIndex * A.gemmBatchA;
    int baseB = A.a1 + batchIndex * A.gemmBatchB;
    int lx = lid % 16;
    int ly = lid / 16;
    float c00 = 0.0f;
    float c01 = 0.0f;
    float c02 = 0.0f;
    float c03 = 0.0f;
    float c04 = 0.0f;
    float c05 = 0.0f;
    float c06 = 0.0f;
    float c07 = 0.0f;
    float c10 = 0.0f;
    float c11 = 0.0f;
    float c12 = 0.0f;
    float c13 = 0.0f;
    float c14 = 0.0f;
    float c15 = 0.0f;
    float c16 = 0.0f;
    float c17 = 0.0f;
    float c20 = 0.0f;
    float c21 = 0.0f;
    float c22 = 0.0f;
    float c23 = 0.0f;
    float c24 = 0.0f;
    float c25 = 0.0f;
    float c26 = 0.0f;
    float c27 = 0.0f;
    float c30 = 0.0f;
    float c31 = 0.0f;
    float c32 = 0.0f;
    float c33 = 0.0f;
    float c34 = 0.0f;
    float c35 = 0.0f;
    float c36 = 0.0f;
    float c37 = 0.0f;
    float c40 = 0.0f;
    float c41 = 0.0f;
    float c42 = 0.0f;
    float c43 = 0.0f;
    float c44 = 0.0f;
    float c45 = 0.0f;
    float c46 = 0.0f;
    float c47 = 0.0f;
    float c50 = 0.0f;
    float c51 = 0.0f;
    float c52 = 0.0f;
    float c53 = 0.0f;
    float c54 = 0.0f;
    float c55 = 0.0f;
    float c56 = 0.0f;
    float c57 = 0.0f;
    float c60 = 0.0f;
    float c61 = 0.0f;
    float c62 = 0.0f;
    float c63 = 0.0f;
    float c64 = 0.0f;
    float c65 = 0.0f;
    float c66 = 0.0f;
    float c67 = 0.0f;
    float c70 = 0.0f;
    float c71 = 0.0f;
    float c72 = 0.0f;
    float c73 = 0.0f;
    float c74 = 0.0f;
    float c75 = 0.0f;
    float c76 = 0.0f;
    float c77 = 0.0f;
    for (int p0 = 0; p0 < A.gemmK; p0 += GEMM_LARGE_DEPTH) {
        for (int q = 0; q < 4; q++) {
            int e = lid + q * GEMM_THREADS;
            // A slice: element (i, p) of the tile, p fastest when A's rows are contiguous.
            int ia = e % GEMM_LARGE_TILE;
            int pa = e / GEMM_LARGE_TILE;
            if (A.gemmAp == 1) {
                ia = e / GEMM_LARGE_DEPTH;
                pa = e % GEMM_LARGE_DEPTH;
            }
            float va = 0.0f;
            if (i0 + ia < A.gemmM && p0 + pa < A.gemmK) {
                if (i0 + ia == A.gemmOnesRow) {
                    va = 1.0f;
                } else {
                    va = mem[baseA + (i0 + ia) * A.gemmAi + (p0 + pa) * A.gemmAp];
                }
            }
            tileA[pa * GEMM_LARGE_TILE + ia] = va;
            // B slice: element (p, j), j fastest when B's rows are contiguous.
            int jb = e % GEMM_LARGE_TILE;
            int pb = e / GEMM_LARGE_TILE;
            if (A.gemmBj != 1) {
                jb = e / GEMM_LARGE_DEPTH;
                pb = e % GEMM_LARGE_DEPTH;
            }
            float vb = 0.0f;
            if (j0 + jb < A.gemmN && p0 + pb < A.gemmK) {
                vb = mem[baseB + (p0 + pb) * A.gemmBp + (j0 + jb) * A.gemmBj];
            }
            tileB[pb * GEMM_LARGE_TILE + jb] = vb;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
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
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    int baseC = A.a2 + batchIndex * A.gemmM * A.gemmN;
    int i = i0 + ly;
    gemmStoreRow(mem, &A, baseC, i, j0 + lx, c00, c01, c02, c03);
    gemmStoreRow(mem, &A, baseC, i, j0 + lx + 64, c04, c05, c06, c07);
    gemmStoreRow(mem, &A, baseC, i + 16, j0 + lx, c10, c11, c12, c13);
    gemmStoreRow(mem, &A, baseC, i + 16, j0 + lx + 64, c14, c15, c16, c17);
    gemmStoreRow(mem, &A, baseC, i + 32, j0 + lx, c20, c21, c22, c23);
    gemmStoreRow(mem, &A, baseC, i + 32, j0 + lx + 64, c24, c25, c26, c27);
    gemmStoreRow(mem, &A, baseC, i + 48, j0 + lx, c30, c31, c32, c33);
    gemmStoreRow(mem, &A, baseC, i + 48, j0 + lx + 64, c34, c35, c36, c37);
    gemmStoreRow(mem, &A, baseC, i + 64, j0 + lx, c40, c41, c42, c43);
    gemmStoreRow(mem, &A, baseC, i + 64, j0 + lx + 64, c44, c45, c46, c47);
    gemmStoreRow(mem, &A, baseC, i + 80, j0 + lx, c50, c51, c52, c53);
    gemmStoreRow(mem, &A, baseC, i + 80, j0 + lx + 64, c54, c55, c56, c57);
    gemmStoreRow(mem, &A, baseC, i + 96, j0 + lx, c60, c61, c62, c63);
    gemmStoreRow(mem, &A, baseC, i + 96, j0 + lx + 64, c64, c65, c66, c67);
    gemmStoreRow(mem, &A, baseC, i + 112, j0 + lx, c70, c71, c72, c73);
    gemmStoreRow(mem, &A, baseC, i + 112, j0 + lx + 64, c74, c75, c76, c77);
}
#else

/*
 * The 128 x 128 product (code 35) built for GPUs rather than translated from the Java; chosen with
 * -Dflowbench.opencl.pipelinedGemm=true. Each output still sums over p in increasing order, so the
 * results are those of the kernel above (up to the sign of an exact zero, which sums of padding
 * zeros can make +0 here and -0 there). Three changes:
 *  - slices 16 deep instead of 8: half the barriers per product;
 *  - local rows of GEMM_PIPE_STRIDE = 130 floats: a slice stored with p fastest (A's rows, or B
 *    given as its transpose) puts the 16 items of a half-warp in 16 different banks instead of one;
 *  - the next slice is read from global memory into registers while the current one is multiplied.
 */
#define GEMM_PIPE_DEPTH 16
#define GEMM_PIPE_STRIDE (GEMM_LARGE_TILE + 2)
#define GEMM_PIPE_LOADS (GEMM_LARGE_TILE * GEMM_PIPE_DEPTH / GEMM_THREADS)

/*
 * Where element e (0 .. 2047) of a slice sits: (row of A or column of B in the tile, p in the
 * slice). With p fastest when the matrix's p stride is 1, so neighbouring items read neighbouring
 * floats; the load and the store to local memory both place elements by it.
 */
FORCE_INLINE int2 gemmPipeSlot(int e, bool pFastest) {
    return pFastest ? (int2) (e / GEMM_PIPE_DEPTH, e % GEMM_PIPE_DEPTH)
                    : (int2) (e % GEMM_LARGE_TILE, e / GEMM_LARGE_TILE);
}

/* Item lid's share of the slice starting at p0: elements of A's 128 x 16 slice and B's 16 x 128 slice. */
FORCE_INLINE void gemmPipeLoad(__global const float* mem, const Args* A, int baseA, int baseB, int i0, int j0, int p0, int lid,
                  float* va, float* vb) {
    #pragma unroll
    for (int q = 0; q < GEMM_PIPE_LOADS; q++) {
        int e = lid + q * GEMM_THREADS;
        int2 sa = gemmPipeSlot(e, A->gemmAp == 1);
        float x = 0.0f;
        if (i0 + sa.x < A->gemmM && p0 + sa.y < A->gemmK) {
            x = i0 + sa.x == A->gemmOnesRow ? 1.0f : mem[baseA + (i0 + sa.x) * A->gemmAi + (p0 + sa.y) * A->gemmAp];
        }
        va[q] = x;
        int2 sb = gemmPipeSlot(e, A->gemmBj != 1);
        float y = 0.0f;
        if (j0 + sb.x < A->gemmN && p0 + sb.y < A->gemmK) {
            y = mem[baseB + (p0 + sb.y) * A->gemmBp + (j0 + sb.x) * A->gemmBj];
        }
        vb[q] = y;
    }
}

__kernel __attribute__((reqd_work_group_size(GEMM_THREADS, 1, 1)))
void op_35_gemm_tiled_large(__global float* mem, const Args A) {
    __local float tileA[GEMM_PIPE_DEPTH * GEMM_PIPE_STRIDE];
    __local float tileB[GEMM_PIPE_DEPTH * GEMM_PIPE_STRIDE];
    int lid = get_local_id(0);
    int group = get_group_id(0);
    int batchIndex = group / A.gemmTilesPerBatch;
    int tile = group - batchIndex * A.gemmTilesPerBatch;
    int tileRow = tile / A.gemmTilesN;
    int i0 = tileRow * GEMM_LARGE_TILE;
    int j0 = (tile - tileRow * A.gemmTilesN) * GEMM_LARGE_TILE;
    int baseA = A.a0 + batchIndex * A.gemmBatchA;
    int baseB = A.a1 + batchIndex * A.gemmBatchB;
    int lx = lid % 16;
    int ly = lid / 16;
    float c[8][8];
    #pragma unroll
    for (int u = 0; u < 8; u++) {
        #pragma unroll
        for (int v = 0; v < 8; v++) {
            c[u][v] = 0.0f;
        }
    }
    float va[GEMM_PIPE_LOADS];
    float vb[GEMM_PIPE_LOADS];
    gemmPipeLoad(mem, &A, baseA, baseB, i0, j0, 0, lid, va, vb);
    for (int p0 = 0; p0 < A.gemmK; p0 += GEMM_PIPE_DEPTH) {
        // The previous slice has been multiplied by every item: its local rows may be replaced.
        barrier(CLK_LOCAL_MEM_FENCE);
        #pragma unroll
        for (int q = 0; q < GEMM_PIPE_LOADS; q++) {
            int e = lid + q * GEMM_THREADS;
            int2 sa = gemmPipeSlot(e, A.gemmAp == 1);
            tileA[sa.y * GEMM_PIPE_STRIDE + sa.x] = va[q];
            int2 sb = gemmPipeSlot(e, A.gemmBj != 1);
            tileB[sb.y * GEMM_PIPE_STRIDE + sb.x] = vb[q];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        if (p0 + GEMM_PIPE_DEPTH < A.gemmK) {
            gemmPipeLoad(mem, &A, baseA, baseB, i0, j0, p0 + GEMM_PIPE_DEPTH, lid, va, vb);
        }
        #pragma unroll
        for (int p = 0; p < GEMM_PIPE_DEPTH; p++) {
            float x[8];
            float y[8];
            #pragma unroll
            for (int u = 0; u < 8; u++) {
                x[u] = tileA[p * GEMM_PIPE_STRIDE + ly + 16 * u];
                y[u] = tileB[p * GEMM_PIPE_STRIDE + lx + 16 * u];
            }
            #pragma unroll
            for (int u = 0; u < 8; u++) {
                #pragma unroll
                for (int v = 0; v < 8; v++) {
                    c[u][v] += x[u] * y[v];
                }
            }
        }
    }
    int baseC = A.a2 + batchIndex * A.gemmM * A.gemmN;
    #pragma unroll
    for (int u = 0; u < 8; u++) {
        int i = i0 + ly + 16 * u;
        gemmStoreRow(mem, &A, baseC, i, j0 + lx, c[u][0], c[u][1], c[u][2], c[u][3]);
        gemmStoreRow(mem, &A, baseC, i, j0 + lx + 64, c[u][4], c[u][5], c[u][6], c[u][7]);
    }
}

#endif
