/*
 * Flowbench's OpenCL device, compiled directly (without Aparapi): shared declarations.
 *
 * The program is this file followed by the op files (elementwise.cl, products.cl, rows.cl,
 * channels.cl, transformer.cl). Every op is its own kernel, named op_<code>_<name>, where <code>
 * is the op's number in DeviceKernel (the launcher finds kernels by that number). Each kernel
 * takes the device's memory pool and the arguments of DeviceKernel's fields, packed in Args, and
 * computes exactly what DeviceKernel's Java code for that op computes, sums in the same order.
 */

/* The arguments of one launch: DeviceKernel's fields, each 4 bytes, in this order (Launch.java packs them). */
typedef struct {
    int n;
    int a0, a1, a2, a3, a4, a5, a6, a7, a8;
    int s0, s1, s2, s3;
    float f0, f1, f2, f3, f4, f5, f6;
    int gemmM, gemmN, gemmK, gemmTilesN, gemmTilesPerBatch;
    int gemmAi, gemmAp, gemmBp, gemmBj, gemmBatchA, gemmBatchB;
    int gemmOnesRow, gemmOnesOut;
} Args;

#define ACT_IDENTITY 0
#define ACT_RELU 1
#define ACT_SILU 2
#define ACT_SELU 3
#define ACT_TANH 4
#define ACT_GELU 5

#define RED_SUM 0
#define RED_MEAN 1
#define RED_VARIANCE 2
#define RED_MAX_ABS 3

#define BLOCK_ROWS 256
#define COPY_PER_ITEM 4

#define GEMM_TILE 64
#define GEMM_DEPTH 16
#define GEMM_THREADS 256
#define GEMM_LARGE_TILE 128
#define GEMM_LARGE_DEPTH (GEMM_DEPTH * GEMM_TILE / GEMM_LARGE_TILE)

/*
 * Helpers that take the launch's Args by address are inlined: a helper left as a call makes the
 * compiler copy Args to per-item memory (136 bytes) and the arrays it is handed too. Compilers
 * without the attribute (it is clang's and GCC's) get plain functions.
 */
#if defined(__has_attribute)
#if __has_attribute(always_inline)
#define FORCE_INLINE __attribute__((always_inline))
#endif
#endif
#ifndef FORCE_INLINE
#define FORCE_INLINE
#endif

#define SELU_ALPHA 1.6732632423543772f
#define SELU_SCALE 1.0507009873554805f
#define GELU_C 0.7978845608028654f
#define GELU_K 0.044715f

/*
 * Sums over a row: eight running partials combined as on the cpu device (the inner loops unrolled,
 * so a GPU compiler keeps the partials in registers).
 */
float rowSum(__global const float* mem, int off, int len) {
    float t[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
    int i = 0;
    for (; i + 7 < len; i += 8) {
        #pragma unroll
        for (int q = 0; q < 8; q++) {
            t[q] += mem[off + i + q];
        }
    }
    for (; i < len; i++) {
        t[0] += mem[off + i];
    }
    return ((t[0] + t[1]) + (t[2] + t[3])) + ((t[4] + t[5]) + (t[6] + t[7]));
}

float rowSquaredDeviations(__global const float* mem, int off, int len, float c) {
    float t[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
    int i = 0;
    for (; i + 7 < len; i += 8) {
        #pragma unroll
        for (int q = 0; q < 8; q++) {
            float d = mem[off + i + q] - c;
            t[q] += d * d;
        }
    }
    for (; i < len; i++) {
        float d = mem[off + i] - c;
        t[0] += d * d;
    }
    return ((t[0] + t[1]) + (t[2] + t[3])) + ((t[4] + t[5]) + (t[6] + t[7]));
}

float rowDot(__global const float* mem, int offA, int offB, int len) {
    float t[8] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
    int i = 0;
    for (; i + 7 < len; i += 8) {
        #pragma unroll
        for (int q = 0; q < 8; q++) {
            t[q] += mem[offA + i + q] * mem[offB + i + q];
        }
    }
    for (; i < len; i++) {
        t[0] += mem[offA + i] * mem[offB + i];
    }
    return ((t[0] + t[1]) + (t[2] + t[3])) + ((t[4] + t[5]) + (t[6] + t[7]));
}

float activation(int code, float v) {
    if (code == ACT_RELU) {
        return max(v, 0.0f);
    } else if (code == ACT_SILU) {
        return v / (1.0f + exp(-v));
    } else if (code == ACT_SELU) {
        return v > 0.0f ? SELU_SCALE * v : SELU_SCALE * SELU_ALPHA * expm1(v);
    } else if (code == ACT_TANH) {
        return tanh(v);
    } else if (code == ACT_GELU) {
        float t = tanh(GELU_C * (v + GELU_K * v * v * v));
        return 0.5f * v * (1.0f + t);
    }
    return v;
}

float activationSlope(int code, float v) {
    if (code == ACT_RELU) {
        return v > 0.0f ? 1.0f : 0.0f;
    } else if (code == ACT_SILU) {
        float sg = 1.0f / (1.0f + exp(-v));
        return sg * (1.0f + v * (1.0f - sg));
    } else if (code == ACT_SELU) {
        return v > 0.0f ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * exp(v);
    } else if (code == ACT_TANH) {
        float t = tanh(v);
        return 1.0f - t * t;
    } else if (code == ACT_GELU) {
        float t = tanh(GELU_C * (v + GELU_K * v * v * v));
        return 0.5f * (1.0f + t) + 0.5f * v * (1.0f - t * t) * GELU_C * (1.0f + 3.0f * GELU_K * v * v);
    }
    return 1.0f;
}
