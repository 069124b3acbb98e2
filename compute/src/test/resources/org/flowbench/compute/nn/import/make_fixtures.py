#!/usr/bin/env python3
"""Writes the import fixtures: small velocity MLPs laid out as three upstream projects save them,
in safetensors (F32, F16, BF16) and NumPy .npz, with the outputs of an independent float64 forward
pass and of an 8-step Euler integration. Run from this folder: python3 make_fixtures.py

Layouts (read from the upstream sources):
  torchcfm-mlp       atong01/conditional-flow-matching torchcfm/models/models.py MLP(dim=2, w, time_varying=True):
                     nn.Sequential(Linear(dim+1, w), SELU, Linear(w, w), SELU, Linear(w, w), SELU, Linear(w, dim)),
                     state dict names net.0, net.2, net.4, net.6; input cat([x, t]).
  flow-matching-mlp  facebookresearch/flow_matching examples/2d_flow_matching.ipynb MLP(input_dim=2, time_dim=1, hidden_dim):
                     nn.Sequential(Linear(3, h), Swish, Linear(h, h), Swish, Linear(h, h), Swish, Linear(h, h), Swish, Linear(h, 2)),
                     names main.0, main.2, main.4, main.6, main.8; input cat([x, t]); Swish(x) = x * sigmoid(x).
  rectified-flow-mlp lqiang67/rectified-flow 2D notebook MLP(input_dim=2, hidden_num): fc1 = Linear(3, h), fc2 = Linear(h, h),
                     fc3 = Linear(h, 2), tanh between; input cat([x, t]).
Every layout integrates from t = 0 (noise) to t = 1 (data).
"""
import json
import struct
import numpy as np

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

ACTIVATIONS = {
    "selu": lambda a: SELU_SCALE * np.where(a > 0, a, SELU_ALPHA * np.expm1(np.minimum(a, 0))),
    "silu": lambda a: a / (1.0 + np.exp(-a)),
    "tanh": np.tanh,
}

PRESETS = {
    # preset: (layer names, widths from input to output, activation)
    "torchcfm-mlp": (["net.0", "net.2", "net.4", "net.6"], [3, 16, 16, 16, 2], "selu"),
    "flow-matching-mlp": (["main.0", "main.2", "main.4", "main.6", "main.8"], [3, 12, 12, 12, 12, 2], "silu"),
    "rectified-flow-mlp": (["fc1", "fc2", "fc3"], [3, 20, 20, 2], "tanh"),
}


def init(rng, widths):
    """PyTorch's nn.Linear default: weight [out, in] and bias uniform in +-1/sqrt(in)."""
    layers = []
    for fan_in, fan_out in zip(widths[:-1], widths[1:]):
        bound = 1.0 / np.sqrt(fan_in)
        w = rng.uniform(-bound, bound, size=(fan_out, fan_in)).astype(np.float32)
        b = rng.uniform(-bound, bound, size=(fan_out,)).astype(np.float32)
        layers.append((w, b))
    return layers


def to_bf16_bits(a):
    """float32 -> bfloat16 bit patterns, rounded to nearest even (as torch.Tensor.bfloat16() does)."""
    bits = a.astype(np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype(np.uint16)


def from_bf16_bits(bits):
    return (bits.astype(np.uint32) << 16).view(np.float32)


def stored(a, dtype):
    """The bytes a file holds for array a, and the float64 values they decode to."""
    if dtype == "F32":
        return a.astype("<f4").tobytes(), a.astype(np.float64)
    if dtype == "F16":
        h = a.astype("<f2")
        return h.tobytes(), h.astype(np.float64)
    if dtype == "BF16":
        bits = to_bf16_bits(a)
        return bits.astype("<u2").tobytes(), from_bf16_bits(bits).astype(np.float64)
    raise ValueError(dtype)


def write_safetensors(path, tensors, dtype):
    """tensors: list of (name, float32 array). Returns the decoded float64 values by name."""
    header = {"__metadata__": {"format": "pt"}}
    blobs = []
    decoded = {}
    offset = 0
    for name, a in tensors:
        data, values = stored(a, dtype)
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
        decoded[name] = values
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
    return decoded


def forward(values, names, activation, x, t):
    """Independent float64 forward pass of cat([x, t]) through the Linear layers."""
    h = np.concatenate([x, np.full((x.shape[0], 1), t)], axis=1)
    for i, name in enumerate(names):
        h = h @ values[name + ".weight"].T + values[name + ".bias"]
        if i < len(names) - 1:
            h = ACTIVATIONS[activation](h)
    return h


def euler(values, names, activation, z0, steps):
    z = z0.copy()
    for k in range(steps):
        z = z + (1.0 / steps) * forward(values, names, activation, z, k / steps)
    return z


def main():
    rng = np.random.default_rng(20240611)
    points = rng.normal(size=(16, 2))
    times = [0.0, 0.3, 1.0]
    expected = {"points": points.tolist(), "times": times, "euler_steps": 8, "files": {}}
    for preset, (names, widths, activation) in PRESETS.items():
        layers = init(rng, widths)
        tensors = []
        for name, (w, b) in zip(names, layers):
            tensors.append((name + ".weight", w))
            tensors.append((name + ".bias", b))
        files = {}
        for dtype in (["F32", "F16", "BF16"] if preset == "torchcfm-mlp" else ["F32", "BF16"]):
            file = preset + "-" + dtype.lower() + ".safetensors"
            files[file] = write_safetensors(file, tensors, dtype)
        npz = preset + ".npz"
        np.savez(npz, **{name: a for name, a in tensors})
        files[npz] = {name: a.astype(np.float64) for name, a in tensors}
        for file, values in files.items():
            expected["files"][file] = {
                "preset": preset,
                "velocity": [forward(values, names, activation, points, t).tolist() for t in times],
                "euler": euler(values, names, activation, points, 8).tolist(),
            }
    with open("expected.json", "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
