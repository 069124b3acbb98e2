"""Time one training step of Flowbench's benchmark language model in PyTorch, on the CPU.

The same model as compute/src/test/java/org/flowbench/compute/bench/LmTrainingBenchmark.java:
12 Pre-LN blocks of width 128 with 4 heads, context 64, batch 16 sequences, a byte vocabulary
(256), GELU MLP of width 512, LayerNorm, untied head without bias, GPT-2 initialisation, AdamW
(betas 0.9/0.95, weight decay 0.1), attention through scaled_dot_product_attention with the
causal flag. Beside it, at the same thread count and in the same run, torch.mm of
10000 x 256 times 256 x 256 (the Java benchmark's sgemm), so the step's FLOP rate can be read
as a fraction of the machine's gemm at that moment. FLOPs are counted as the Java benchmark
counts them (matrix products only, forward and backward).

Run from a virtualenv outside the repository (torch is never a dependency of the build):

    python3 -m venv /work/venv-torch && /work/venv-torch/bin/pip install torch
    /work/venv-torch/bin/python samples/norm/torch_lm_step.py --threads 1,2
"""

import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, CONTEXT, WIDTH, HEADS, LAYERS, BATCH = 256, 64, 128, 4, 12, 16
GEMM_M, GEMM_K, GEMM_N = 10000, 256, 256


def flops_per_step(vocab=VOCAB, seq=CONTEXT, width=WIDTH, layers=LAYERS, batch=BATCH):
    tokens = batch * seq
    dense = 2.0 * tokens * (layers * (3 * width * width + width * width + 2 * 4 * width * width) + width * vocab)
    attention = 2.0 * layers * batch * 2 * seq * seq * width
    return 3 * (dense + attention)


class Block(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.norm_attn = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width)
        self.attn_proj = nn.Linear(width, width)
        self.norm_mlp = nn.LayerNorm(width)
        self.fc = nn.Linear(width, 4 * width)
        self.mlp_proj = nn.Linear(4 * width, width)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(self.norm_attn(x)).split(d, dim=2)
        q, k, v = (z.view(b, t, self.heads, d // self.heads).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.attn_proj(y.transpose(1, 2).reshape(b, t, d))
        return x + self.mlp_proj(F.gelu(self.fc(self.norm_mlp(x)), approximate="tanh"))


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(VOCAB, WIDTH)
        self.wpe = nn.Embedding(CONTEXT, WIDTH)
        self.blocks = nn.ModuleList(Block(WIDTH, HEADS) for _ in range(LAYERS))
        self.norm_final = nn.LayerNorm(WIDTH)
        self.head = nn.Linear(WIDTH, VOCAB, bias=False)
        for name, p in self.named_parameters():
            if name.endswith("bias"):
                nn.init.zeros_(p)
            elif p.dim() >= 2:
                std = 0.02 / (2 * LAYERS) ** 0.5 if name.endswith("proj.weight") else 0.02
                nn.init.normal_(p, 0.0, std)

    def forward(self, tokens):
        x = self.wte(tokens) + self.wpe(torch.arange(tokens.shape[1]))
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm_final(x))


def median_ms(fn, warmup, repeats):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times), min(times)


def measure(threads, warmup, repeats, seed):
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    model = Model()
    params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1)
    tokens = torch.randint(0, VOCAB, (BATCH, CONTEXT))
    targets = torch.randint(0, VOCAB, (BATCH, CONTEXT))

    def step():
        logits = model(tokens)
        loss = F.cross_entropy(logits.view(-1, VOCAB), targets.view(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    step_ms, step_min = median_ms(step, warmup, repeats)
    a = torch.randn(GEMM_M, GEMM_K)
    b = torch.randn(GEMM_K, GEMM_N)
    gemm_ms, _ = median_ms(lambda: torch.mm(a, b), warmup, max(repeats, 10))
    flops = flops_per_step()
    gflops = flops / (step_ms * 1e6)
    sgemm = 2.0 * GEMM_M * GEMM_K * GEMM_N / (gemm_ms * 1e6)
    return {"threads": threads, "parameters": params, "step_ms": step_ms, "step_min_ms": step_min,
            "gflop_per_step": flops / 1e9, "gflops": gflops, "sgemm_ms": gemm_ms, "sgemm_gflops": sgemm,
            "fraction_of_sgemm": gflops / sgemm}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", default="1,2", help="thread counts, comma-separated (default 1,2)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed steps (default 5)")
    parser.add_argument("--repeats", type=int, default=20, help="timed steps; the median is reported (default 20)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    args = parser.parse_args()
    rows = [measure(int(t), args.warmup, args.repeats, args.seed) for t in args.threads.split(",")]
    if args.json:
        print(json.dumps({"torch": torch.__version__, "results": rows}))
        return
    print(f"PyTorch {torch.__version__}, {rows[0]['parameters']} parameters, "
          f"{rows[0]['gflop_per_step']:.2f} GFLOP a step (matrix products)")
    print(f"{'threads':>7} {'step ms':>9} {'min ms':>9} {'GFLOP/s':>8} {'sgemm GFLOP/s':>14} {'of sgemm':>9}")
    for r in rows:
        print(f"{r['threads']:>7} {r['step_ms']:9.1f} {r['step_min_ms']:9.1f} {r['gflops']:8.1f} "
              f"{r['sgemm_gflops']:14.1f} {100 * r['fraction_of_sgemm']:8.0f}%")


if __name__ == "__main__":
    main()
