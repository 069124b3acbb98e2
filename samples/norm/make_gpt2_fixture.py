"""Makes the GPT-2 test fixtures of compute/lm: a tiny random GPT-2 saved by Hugging Face
transformers, the same weights under nanoGPT's names and layout, and the logits and hidden
states transformers computes for a fixed byte sequence.

    python3 -m venv /work/venv-gpt2
    /work/venv-gpt2/bin/pip install torch transformers safetensors numpy
    /work/venv-gpt2/bin/python samples/norm/make_gpt2_fixture.py \
        --out compute/src/test/resources/org/flowbench/compute/lm

writes
    gpt2-tiny/model.safetensors     GPT2LMHeadModel.save_pretrained(safe_serialization=True)
    gpt2-tiny/config.json           its configuration (n_head comes from here)
    gpt2-tiny/expected.safetensors  tokens [T], logits [T, 256], hidden.0 .. hidden.{L-1} [T, 32]
    nanogpt-tiny/model.safetensors  the same weights as nanoGPT names them: matrices in
                                    nn.Linear's [out, in] layout, '_orig_mod.' in front (a
                                    torch.compile'd model's state dict), the causal-mask buffer
                                    attn.bias kept, lm_head.weight a copy of wte, n_head in the
                                    metadata (no config.json)
    bpe-tokenizer/tokenizer.json    a 200-token BPE (Hugging Face tokenizers, whitespace
                                    pre-tokenizer) trained on samples/norm/wordnet-glosses.txt
    bpe-tokenizer/expected.json     the ids it gives for the fixed text
"""
import argparse
import json
import os
import shutil
import tempfile

import torch
from safetensors.torch import save_file
from tokenizers import Tokenizer, models, pre_tokenizers, trainers
from transformers import GPT2Config, GPT2LMHeadModel

TEXT = "Flowbench probes GPT-2: the residual stream grows with depth."
SEED = 20250129


def make_model():
    torch.manual_seed(SEED)
    config = GPT2Config(vocab_size=256, n_positions=64, n_embd=32, n_layer=2, n_head=4, bos_token_id=0, eos_token_id=0,
                        resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0)
    model = GPT2LMHeadModel(config).eval()
    # GPT-2's own initialisation (std 0.02) gives nearly uniform logits, which would let a
    # wrong transpose or head split pass a tolerance test; larger weights make every
    # parameter visible in the logits.
    g = torch.Generator().manual_seed(SEED + 1)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("ln_1.weight") or name.endswith("ln_2.weight") or name.endswith("ln_f.weight"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=g))
            elif name.endswith(".bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=g))
            elif name.endswith("wte.weight") or name.endswith("wpe.weight"):
                p.copy_(0.5 * torch.randn(p.shape, generator=g))
            else:
                fan_in = p.shape[0]  # Conv1D stores [in, out]
                p.copy_(torch.randn(p.shape, generator=g) / fan_in ** 0.5)
    return config, model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="folder that receives gpt2-tiny/, nanogpt-tiny/ and bpe-tokenizer/")
    parser.add_argument("--corpus", default="samples/norm/wordnet-glosses.txt", help="text the BPE tokenizer is trained on")
    args = parser.parse_args()
    config, model = make_model()
    tokens = list(TEXT.encode("utf-8"))
    ids = torch.tensor([tokens], dtype=torch.long)
    with torch.no_grad():
        out = model(ids, output_hidden_states=True)
    logits = out.logits[0].float().contiguous()

    hf_dir = os.path.join(args.out, "gpt2-tiny")
    nano_dir = os.path.join(args.out, "nanogpt-tiny")
    os.makedirs(hf_dir, exist_ok=True)
    os.makedirs(nano_dir, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        model.save_pretrained(tmp, safe_serialization=True)
        shutil.copy(os.path.join(tmp, "model.safetensors"), os.path.join(hf_dir, "model.safetensors"))
        shutil.copy(os.path.join(tmp, "config.json"), os.path.join(hf_dir, "config.json"))

    expected = {"tokens": torch.tensor(tokens, dtype=torch.float32), "logits": logits}
    # hidden_states[l] is the residual stream after block l for l < L; the last one has ln_f applied.
    for layer in range(config.n_layer):
        expected[f"hidden.{layer}"] = out.hidden_states[layer][0].float().contiguous()
    save_file(expected, os.path.join(hf_dir, "expected.safetensors"),
              metadata={"text": TEXT, "made_by": "transformers " + __import__("transformers").__version__
                        + ", torch " + torch.__version__})

    conv1d = ("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight")
    nano = {}
    for name, tensor in model.state_dict().items():
        if name == "lm_head.weight":
            continue
        t = tensor.detach().clone()
        if name.endswith(conv1d):
            t = t.t().contiguous()
        nano["_orig_mod." + name] = t
    nano["_orig_mod.lm_head.weight"] = model.transformer.wte.weight.detach().clone()
    mask = torch.tril(torch.ones(config.n_positions, config.n_positions)).view(1, 1, config.n_positions, config.n_positions)
    for layer in range(config.n_layer):
        nano[f"_orig_mod.transformer.h.{layer}.attn.bias"] = mask.clone()
    save_file(nano, os.path.join(nano_dir, "model.safetensors"), metadata={"n_head": str(config.n_head)})

    bpe_dir = os.path.join(args.out, "bpe-tokenizer")
    os.makedirs(bpe_dir, exist_ok=True)
    bpe = Tokenizer(models.BPE(unk_token="[UNK]"))
    bpe.pre_tokenizer = pre_tokenizers.Whitespace()
    bpe.train([args.corpus], trainers.BpeTrainer(vocab_size=200, special_tokens=["[UNK]"]))
    bpe.save(os.path.join(bpe_dir, "tokenizer.json"))
    with open(os.path.join(bpe_dir, "expected.json"), "w") as f:
        json.dump({"text": TEXT, "ids": bpe.encode(TEXT).ids}, f)
        f.write("\n")

    print(json.dumps({"tokens": len(tokens), "logits_abs_max": float(logits.abs().max()),
                      "logits_std": float(logits.std()), "hf": hf_dir, "nanogpt": nano_dir}))


if __name__ == "__main__":
    main()
