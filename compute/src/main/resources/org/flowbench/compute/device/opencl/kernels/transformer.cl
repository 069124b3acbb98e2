/*
 * Transformer ops (DeviceKernel's ops 200..212, transformerOp): attention heads, batched products,
 * causal softmax, cross-entropy, embeddings, causal flow attention.
 *
 * Float indices (targets, embedding indices) become ints through convert_int_sat, which rounds
 * toward zero, saturates and maps NaN to 0: Java's (int) cast, where a plain C cast is undefined
 * out of range.
 */

/* Added to flow capacities and their sums, as in Flowformer's implementation. */
#define FLOW_EPS 1e-6f

/*
 * One element of the destination: split dst[p,b,h,t,e] = src[b,t,p,h,e], merge the reverse.
 * s0 batch, s1 seq, s2 heads, s3 headDim; parts = n / (batch seq heads headDim); a0 src, a1 dst.
 */
void permuteHeads(__global float* mem, int gid, int split, int n, int a0, int a1, int s0, int s1, int s2, int s3) {
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

/* Split heads: dst[p,b,h,t,e] = src[b,t,p,h,e]. s0 batch, s1 seq, s2 heads, s3 headDim; a0 src, a1 dst. */
__kernel void op_200_split_heads(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    permuteHeads(mem, gid, 1, A.n, A.a0, A.a1, A.s0, A.s1, A.s2, A.s3);
}

/* Merge heads: dst[b,t,p,h,e] = src[p,b,h,t,e]. s0 batch, s1 seq, s2 heads, s3 headDim; a0 src, a1 dst. */
__kernel void op_201_merge_heads(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    permuteHeads(mem, gid, 0, A.n, A.a0, A.a1, A.s0, A.s1, A.s2, A.s3);
}

/* One element of c = f0 op(a) op(b). s0 m, s1 k, s2 n, s3 2 transA + transB; a0 a, a1 b, a2 c. */
__kernel void op_202_batched_matmul(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    int m = A.s0;
    int k = A.s1;
    int cols = A.s2;
    int mn = m * cols;
    int batchIndex = gid / mn;
    int within = gid - batchIndex * mn;
    int i = within / cols;
    int j = within - i * cols;
    int aBase = A.a0 + batchIndex * m * k;
    int bBase = A.a1 + batchIndex * k * cols;
    int strideA = 1;
    int startA = aBase + i * k;
    if (A.s3 >= 2) {
        strideA = m;
        startA = aBase + i;
    }
    int strideB = cols;
    int startB = bBase + j;
    if (A.s3 - (A.s3 / 2) * 2 == 1) {
        strideB = 1;
        startB = bBase + j * k;
    }
    float t = 0.0f;
    for (int p = 0; p < k; p++) {
        t += mem[startA + p * strideA] * mem[startB + p * strideB];
    }
    mem[A.a2 + gid] = A.f0 * t;
}

/* One row of a causal softmax over s0 columns; the row's query is gid mod s0. a0 scores, a1 probs. */
__kernel void op_203_causal_softmax(__global float* mem, const Args A) {
    int r = get_global_id(0);
    if (r >= A.n) return;
    int cols = A.s0;
    int valid = r % cols + 1;
    int sr = A.a0 + r * cols;
    int pr = A.a1 + r * cols;
    float mx = mem[sr];
    for (int j = 1; j < valid; j++) {
        mx = fmax(mx, mem[sr + j]);
    }
    float sum = 0.0f;
    for (int j = 0; j < valid; j++) {
        float e = exp(mem[sr + j] - mx);
        mem[pr + j] = e;
        sum += e;
    }
    float inv = 1.0f / sum;
    for (int j = 0; j < cols; j++) {
        if (j < valid) {
            mem[pr + j] = mem[pr + j] * inv;
        } else {
            mem[pr + j] = 0.0f;
        }
    }
}

/* One row of ds = p (dp - sum(dp p)). s0 cols; a0 p, a1 dp, a2 ds. */
__kernel void op_204_softmax_backward(__global float* mem, const Args A) {
    int r = get_global_id(0);
    if (r >= A.n) return;
    int cols = A.s0;
    int pr = A.a0 + r * cols;
    int dpr = A.a1 + r * cols;
    int dsr = A.a2 + r * cols;
    float dot = 0.0f;
    for (int j = 0; j < cols; j++) {
        dot += mem[dpr + j] * mem[pr + j];
    }
    for (int j = 0; j < cols; j++) {
        mem[dsr + j] = mem[pr + j] * (mem[dpr + j] - dot);
    }
}

/* One row of softmax cross-entropy. s0 classes; a0 logits, a1 targets, a2 losses, a3 dlogits or -1; f0 scale. */
__kernel void op_205_cross_entropy(__global float* mem, const Args A) {
    int r = get_global_id(0);
    if (r >= A.n) return;
    int cols = A.s0;
    int xr = A.a0 + r * cols;
    float target = mem[A.a1 + r];
    int valid = 1;
    if (target < 0.0f) {
        valid = 0;
    }
    if (target >= cols) {
        valid = 0;
    }
    int t = 0;
    if (valid == 1) {
        t = convert_int_sat(target);
    }
    float mx = mem[xr];
    for (int j = 1; j < cols; j++) {
        mx = fmax(mx, mem[xr + j]);
    }
    float sum = 0.0f;
    for (int j = 0; j < cols; j++) {
        sum += exp(mem[xr + j] - mx);
    }
    float logSum = mx + log(sum);
    /* Written through a branch, not multiplied by 0: an ignored row's infinite logits must not give NaN. */
    float loss = 0.0f;
    if (valid == 1) {
        loss = logSum - mem[xr + t];
    }
    mem[A.a2 + r] = loss;
    if (A.a3 >= 0) {
        int dr = A.a3 + r * cols;
        for (int j = 0; j < cols; j++) {
            float q = exp(mem[xr + j] - logSum);
            if (j == t) {
                q = q - 1.0f;
            }
            float grad = 0.0f;
            if (valid == 1) {
                grad = A.f0 * q;
            }
            mem[dr + j] = grad;
        }
    }
}

/* One element of out[r] = table[indices[r]] (+= when s2 is 1). s0 cols, s1 tableRows; a0 table, a1 indices, a2 out. */
__kernel void op_206_gather_rows(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    int cols = A.s0;
    int r = gid / cols;
    int j = gid - r * cols;
    float index = mem[A.a1 + r];
    int inRange = 1;
    if (index < 0.0f) {
        inRange = 0;
    }
    if (index >= A.s1) {
        inRange = 0;
    }
    float v = 0.0f;
    if (inRange == 1) {
        v = mem[A.a0 + convert_int_sat(index) * cols + j];
    }
    if (A.s2 == 1) {
        mem[A.a2 + gid] = mem[A.a2 + gid] + v;
    } else {
        mem[A.a2 + gid] = v;
    }
}

/*
 * One element of dtable[v, j] = sum over rows with indices[r] = v of dout[r, j], the rows in
 * order (one item per output element, so no races). s0 cols, s1 rows; a0 dout, a1 indices, a2 dtable.
 */
__kernel void op_207_scatter_add_rows(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    int cols = A.s0;
    int v = gid / cols;
    int j = gid - v * cols;
    float t = 0.0f;
    for (int r = 0; r < A.s1; r++) {
        float index = mem[A.a1 + r];
        int hit = 0;
        if (index >= 0.0f) {
            hit = 1;
        }
        if (convert_int_sat(index) != v) {
            hit = 0;
        }
        if (hit == 1) {
            t += mem[A.a0 + r * cols + j];
        }
    }
    mem[A.a2 + gid] = t;
}

/*
 * Causal flow attention (ComputeDevice#flowAttentionForward). Arguments of every phase: s0 seq,
 * s1 e (headDim), s2 the floats of one of q, k, v (bh seq e); a0 qkv, a1 out or dout, a2 the
 * saved rows [bh, seq, 7e + 6] (vectors Q, K, kSum, qSum, kOSum, qISum, y, then scalars I, O,
 * B, expSum, competition, allocation), a3 working space, a4 dqkv. The cumulative sums run along
 * positions inside one work item; the items are heads (scans) or (head, column or row) pairs
 * of the e x e running state, whose e floats each item keeps at a3 + gid e.
 */

/* One head's capacities, cumulative sums and flows into the saved rows. Item gid = head b. */
__kernel void op_208_flow_scan(__global float* mem, const Args A) {
    int b = get_global_id(0);
    if (b >= A.n) return;
    int seq = A.s0;
    int e = A.s1;
    int w = 7 * e + 6;
    int sc = 7 * e;
    int qOff = A.a0 + b * seq * e;
    int kOff = qOff + A.s2;
    int sOff = A.a2 + b * seq * w;
    float expSum = 0.0f;
    for (int t = 0; t < seq; t++) {
        float nt = (float) (t + 1);
        int r = sOff + t * w;
        int prev = r - w;
        float a = 0.0f;
        float c = 0.0f;
        for (int d = 0; d < e; d++) {
            float q = 1.0f / (1.0f + exp(-mem[qOff + t * e + d]));
            float k = 1.0f / (1.0f + exp(-mem[kOff + t * e + d]));
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
        float sink = 0.0f;
        float source = 0.0f;
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
        float expB = exp(fmax(-1.0f, fmin(1.0f, bt)));
        expSum += expB;
        mem[r + sc] = inFlow;
        mem[r + sc + 1] = outFlow;
        mem[r + sc + 2] = bt;
        mem[r + sc + 3] = expSum;
        mem[r + sc + 4] = nt * expB / expSum;
        mem[r + sc + 5] = 1.0f / (1.0f + exp(-sink / nt));
    }
}

/* Column m of one head's aggregation: y (saved) and out = allocation y. Item gid = b e + m. */
__kernel void op_209_flow_aggregate(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    int seq = A.s0;
    int e = A.s1;
    int w = 7 * e + 6;
    int sc = 7 * e;
    int b = gid / e;
    int m = gid - b * e;
    int vOff = A.a0 + 2 * A.s2 + b * seq * e;
    int oOff = A.a1 + b * seq * e;
    int sOff = A.a2 + b * seq * w;
    int st = A.a3 + gid * e;
    for (int d = 0; d < e; d++) {
        mem[st + d] = 0.0f;
    }
    for (int t = 0; t < seq; t++) {
        int r = sOff + t * w;
        float wv = mem[r + sc + 4] * mem[vOff + t * e + m];
        float sum = 0.0f;
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

/*
 * Row d of the backward states of one head (item gid = b e + d), dy = allocation dout:
 * forwards S[m] = sum over s <= t of K_s[d] c_s V_s[m] gives dQs_t[d] = S . dy_t (into dq);
 * backwards G[m] = sum over u >= t of Q_u[d] I_u / n_u dy_u[m] gives h_t[d] = G . V_t (into dk).
 */
__kernel void op_210_flow_back_rows(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    int seq = A.s0;
    int e = A.s1;
    int w = 7 * e + 6;
    int sc = 7 * e;
    int b = gid / e;
    int d = gid - b * e;
    int head = b * seq * e;
    int vOff = A.a0 + 2 * A.s2 + head;
    int gOff = A.a1 + head;
    int sOff = A.a2 + b * seq * w;
    int dqOff = A.a4 + head;
    int dkOff = A.a4 + A.s2 + head;
    int st = A.a3 + gid * e;
    for (int m = 0; m < e; m++) {
        mem[st + m] = 0.0f;
    }
    for (int t = 0; t < seq; t++) {
        int r = sOff + t * w;
        float kc = mem[r + e + d] * mem[r + sc + 4];
        float alloc = mem[r + sc + 5];
        float sum = 0.0f;
        for (int m = 0; m < e; m++) {
            float acc = mem[st + m] + kc * mem[vOff + t * e + m];
            mem[st + m] = acc;
            sum += acc * (alloc * mem[gOff + t * e + m]);
        }
        mem[dqOff + t * e + d] = sum;
    }
    for (int m = 0; m < e; m++) {
        mem[st + m] = 0.0f;
    }
    for (int i = 0; i < seq; i++) {
        int t = seq - 1 - i;
        int r = sOff + t * w;
        float qs = mem[r + d] * (mem[r + sc] / (float) (t + 1));
        float alloc = mem[r + sc + 5];
        float h = 0.0f;
        for (int m = 0; m < e; m++) {
            float acc = mem[st + m] + qs * (alloc * mem[gOff + t * e + m]);
            mem[st + m] = acc;
            h += acc * mem[vOff + t * e + m];
        }
        mem[dkOff + t * e + d] = h;
    }
}

/* Column m of the backward state G of one head (item gid = b e + m): dV_t[m] = c_t K_t . G[., m]. */
__kernel void op_211_flow_back_columns(__global float* mem, const Args A) {
    int gid = get_global_id(0);
    if (gid >= A.n) return;
    int seq = A.s0;
    int e = A.s1;
    int w = 7 * e + 6;
    int sc = 7 * e;
    int b = gid / e;
    int m = gid - b * e;
    int head = b * seq * e;
    int gOff = A.a1 + head;
    int sOff = A.a2 + b * seq * w;
    int dvOff = A.a4 + 2 * A.s2 + head;
    int st = A.a3 + gid * e;
    for (int d = 0; d < e; d++) {
        mem[st + d] = 0.0f;
    }
    for (int i = 0; i < seq; i++) {
        int t = seq - 1 - i;
        int r = sOff + t * w;
        float dy = mem[r + sc + 5] * mem[gOff + t * e + m];
        float qs = mem[r + sc] / (float) (t + 1);
        float dw = 0.0f;
        for (int d = 0; d < e; d++) {
            float acc = mem[st + d] + mem[r + d] * qs * dy;
            mem[st + d] = acc;
            dw += acc * mem[r + e + d];
        }
        mem[dvOff + t * e + m] = mem[r + sc + 4] * dw;
    }
}

/*
 * One head's gradients through the flows, backwards over positions (each cumulative sum of the
 * forward pass a running sum over later positions here): reads dQs and h where op_210 left them
 * and overwrites them with the gradients of q and k. Four running vectors of e floats at
 * a3 + b 4e. Item gid = head b.
 */
__kernel void op_212_flow_back_scan(__global float* mem, const Args A) {
    int b = get_global_id(0);
    if (b >= A.n) return;
    int seq = A.s0;
    int e = A.s1;
    int w = 7 * e + 6;
    int sc = 7 * e;
    int head = b * seq * e;
    int gOff = A.a1 + head;
    int sOff = A.a2 + b * seq * w;
    int dqOff = A.a4 + head;
    int dkOff = A.a4 + A.s2 + head;
    int accR = A.a3 + b * 4 * e;
    int accP = accR + e;
    int accKSum = accR + 2 * e;
    int accQSum = accR + 3 * e;
    for (int j = 0; j < 4 * e; j++) {
        mem[accR + j] = 0.0f;
    }
    float accExpSum = 0.0f;
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
        float expB = exp(fmax(-1.0f, fmin(1.0f, bt)));
        float dAlloc = 0.0f;
        float dComp = 0.0f;
        for (int m = 0; m < e; m++) {
            dAlloc += mem[gOff + t * e + m] * mem[r + 6 * e + m];
        }
        for (int d = 0; d < e; d++) {
            dComp += mem[r + e + d] * mem[dkOff + t * e + d];
        }
        float dA = dAlloc * alloc * (1.0f - alloc);
        accExpSum += -dComp * nt * expB / (expSum * expSum);
        float dExpB = dComp * nt / expSum + accExpSum;
        float dB = 0.0f;
        if (bt >= -1.0f && bt <= 1.0f) {
            dB = dExpB * expB;
        }
        float dI = 0.0f;
        float dO = 0.0f;
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
            mem[dqOff + t * e + d] = dq * q * (1.0f - q);
            mem[dkOff + t * e + d] = dk * k * (1.0f - k);
        }
    }
}
