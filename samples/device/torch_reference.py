#!/usr/bin/env python3
"""PyTorch on the same GPU as samples/device/gpu-check.sh, for the OpenCL device's figures:
fp32 matmul 4096^3 (TF32 off), device-to-device copy, LayerNorm 65536 x 1024 forward and backward,
and an eager fp32 training step (AdamW) of the 12-layer, width-128, context-64, batch-16 Pre-LN
GPT model with 4 heads and 256 tokens, the model OpenClCheck lm trains.
Exits 0 with a line saying so when torch or CUDA is absent. --small: small sizes. --cpu: run on the
CPU instead (to try the script where there is no GPU)."""
import sys
import time

SMALL = "--small" in sys.argv[1:]
ON_CPU = "--cpu" in sys.argv[1:]

try:
    import torch
except ImportError:
    print("torch is not installed: PyTorch reference skipped")
    sys.exit(0)
if not ON_CPU and not torch.cuda.is_available():
    print("no CUDA device: PyTorch reference skipped (torch %s)" % torch.__version__)
    sys.exit(0)

torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
dev = torch.device("cpu" if ON_CPU else "cuda")
sync = (lambda: None) if ON_CPU else torch.cuda.synchronize
print("torch %s on %s" % (torch.__version__, "cpu" if ON_CPU else torch.cuda.get_device_name(0)))


def timed(fn, seconds=1.0):
    """Median milliseconds of fn() over about `seconds`, after warm-up, synchronised."""
    for _ in range(3):
        fn()
    sync()
    times = []
    start = time.perf_counter()
    while len(times) < 5 or (time.perf_counter() - start < seconds and len(times) < 500):
        t0 = time.perf_counter()
        fn()
        sync()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    return times[len(times) // 2]


def report(what, ms, rate, unit):
    print("%-60s %10.3f ms  %9.2f %s" % (what, ms, rate, unit), flush=True)


n = 1024 if SMALL else 4096
a = torch.randn(n, n, device=dev)
b = torch.randn(n, n, device=dev)
ms = timed(lambda: a @ b)
report("torch fp32 matmul %d^3 (TF32 off)" % n, ms, 2.0 * n ** 3 / ms / 1e9, "TFLOP/s")
del a, b

floats = (1 << 20) if SMALL else (1 << 26)
src = torch.randn(floats, device=dev)
dst = torch.empty_like(src)
ms = timed(lambda: dst.copy_(src))
report("torch device copy %d MiB" % (floats * 4 >> 20), ms, 8.0 * floats / ms / 1e6, "GB/s")
del src, dst

rows, cols = (1024 if SMALL else 65536), 1024
x = torch.randn(rows, cols, device=dev, requires_grad=True)
ln = torch.nn.LayerNorm(cols).to(dev)
y = ln(x)
dy = torch.randn_like(y)
ms = timed(lambda: ln(x))
report("torch LayerNorm forward %d x %d" % (rows, cols), ms, 8.0 * rows * cols / ms / 1e6, "GB/s")


def ln_backward():
    x.grad = None
    ln.weight.grad = None
    ln.bias.grad = None
    out = ln(x)
    out.backward(dy)


fwd_ms = ms
ms = timed(ln_backward)
bwd = max(ms - fwd_ms, 1e-6)
report("torch LayerNorm backward %d x %d (fwd+bwd minus fwd)" % (rows, cols), bwd,
       12.0 * rows * cols / bwd / 1e6, "GB/s")
del x, y, dy, ln


class Block(torch.nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.ln1 = torch.nn.LayerNorm(d)
        self.qkv = torch.nn.Linear(d, 3 * d)
        self.proj = torch.nn.Linear(d, d)
        self.ln2 = torch.nn.LayerNorm(d)
        self.fc = torch.nn.Linear(d, 4 * d)
        self.out = torch.nn.Linear(4 * d, d)

    def forward(self, x):
        bsz, t, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
        q, k, v = (z.view(bsz, t, self.heads, d // self.heads).transpose(1, 2) for z in (q, k, v))
        att = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.proj(att.transpose(1, 2).reshape(bsz, t, d))
        return x + self.out(torch.nn.functional.gelu(self.fc(self.ln2(x)), approximate="tanh"))


class Gpt(torch.nn.Module):
    def __init__(self, vocab, ctx, d, heads, layers):
        super().__init__()
        self.wte = torch.nn.Embedding(vocab, d)
        self.wpe = torch.nn.Embedding(ctx, d)
        self.blocks = torch.nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.lnf = torch.nn.LayerNorm(d)
        self.head = torch.nn.Linear(d, vocab, bias=False)

    def forward(self, idx):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1], device=idx.device))
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.lnf(x))


layers, batch, ctx = (2, 4, 64) if SMALL else (12, 16, 64)
torch.manual_seed(0)
model = Gpt(256, ctx, 128, 4, layers).to(dev)
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, foreach=True)
tokens = torch.randint(0, 256, (batch, ctx), device=dev)
targets = torch.randint(0, 256, (batch, ctx), device=dev)


def step():
    opt.zero_grad(set_to_none=True)
    logits = model(tokens)
    loss = torch.nn.functional.cross_entropy(logits.view(-1, 256), targets.view(-1))
    loss.backward()
    opt.step()
    return loss


ms = timed(step, 3.0)
params = sum(p.numel() for p in model.parameters())
print("torch Transformer training step (%d layers, width 128, 4 heads, context %d, batch %d, %d parameters,"
      " eager fp32, AdamW): %.2f ms/step" % (layers, ctx, batch, params, ms), flush=True)


def kernel_profile(steps=5):
    """The same step's CUDA kernels under torch.profiler: launches and device time per step, beside
    the step's wall time while profiled, as OpenClCheck lm prints them for the OpenCL device."""
    from torch.profiler import profile, ProfilerActivity
    for _ in range(2):
        step()
    sync()
    start = time.perf_counter()
    with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
        for _ in range(steps):
            step()
        sync()
    wall = (time.perf_counter() - start) * 1e3 / steps
    kernels = [a for a in prof.key_averages() if str(a.device_type).endswith("CUDA")]
    kernels.sort(key=lambda a: a.self_device_time_total, reverse=True)
    total_ms = sum(a.self_device_time_total for a in kernels) / 1e3 / steps
    launches = sum(a.count for a in kernels) / steps
    print("torch kernel device time per training step (%d steps under torch.profiler):" % steps)
    print("%-60s %10s %10s" % ("kernel", "launches", "ms"))
    for a in kernels[:15]:
        print("%-60s %10.1f %10.3f" % (a.key[:60], a.count / steps, a.self_device_time_total / 1e3 / steps))
    print("torch step device time: %.2f ms in %.0f kernels of %.2f ms wall a step while profiled (%.0f%%)"
          % (total_ms, launches, wall, 100 * total_ms / wall), flush=True)


if ON_CPU:
    print("torch kernel profile: CUDA only, skipped on the cpu")
else:
    try:
        kernel_profile()
    except Exception as e:  # the profiler's API moves between versions; the figures above stand either way
        print("torch kernel profile failed: %s" % str(e).splitlines()[0] if str(e) else type(e).__name__)
