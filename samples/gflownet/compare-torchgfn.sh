#!/usr/bin/env bash
# HyperGrid 2D H=8 TB, 32k trajectories, Flowbench and torchgfn one after the other on the same
# machine, per seed: training wall time and L1 (exact, and from fresh samples).
#
#   PYTHON=/path/to/venv/bin/python bash samples/gflownet/compare-torchgfn.sh
#
# PYTHON must have torch and torchgfn 2.4.1 (see README.md for how the comparison was set up).
# Environment: FLOWBENCH (default: java -jar app/target/flowbench.jar), OUT (default
# target/gflownet-torchgfn), SEEDS (default "0 1 2"), CLIP (torchgfn gradient-norm clip; default
# 0, none, as in Flowbench; torchgfn's own scripts clip at 1.0).
set -euo pipefail
FB=${FLOWBENCH:-"java -jar app/target/flowbench.jar"}
PYTHON=${PYTHON:?set PYTHON to a python with torch and torchgfn}
OUT=${OUT:-target/gflownet-torchgfn}
SEEDS=${SEEDS:-"0 1 2"}
CLIP=${CLIP:-0}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"
for seed in $SEEDS; do
  echo "+ flowbench train-gfn ... --seed $seed" >&2
  fb=$($FB train-gfn --env hypergrid:D=2,H=8 --loss tb --trajectories 32000 --eval-every 32000 --hidden 256,256 \
      --activation relu --lr 1e-3 --logz-lr 0.1 --batch 16 --device cpu --seed "$seed" --force \
      --out "$OUT/flowbench-$seed.safetensors" --json 2>/dev/null)
  printf 'flowbench\t%s\n' "$fb"
  echo "+ torchgfn_hypergrid.py --seed $seed --clip $CLIP" >&2
  tg=$("$PYTHON" "$HERE/torchgfn_hypergrid.py" --seed "$seed" --clip "$CLIP" 2>/dev/null | tail -1)
  printf 'torchgfn\t%s\n' "$tg"
done | tee "$OUT/results.tsv"
