#!/usr/bin/env bash
# Acceptance experiment of the normalization engine at initialisation (Xiong et al. 2020):
# FFN-only blocks, Pre-LN vs Post-LN, E||x_l||^2 / d per layer against the band
# (1 + l/2) .. (1 + 3l/2), and the gradient norm of the last block's FFN weights as the depth
# L grows. Every number in samples/norm/README.md comes from the commands printed below.
#
#   bash samples/norm-acceptance.sh          # after: mvn -B -q package -DskipTests
#
# Environment: FLOWBENCH (default: java --add-modules jdk.incubator.vector -jar app/target/flowbench.jar:
# the language model's row sums and GELU round differently without the Vector API, so the figures in
# samples/norm/README.md, measured with it, need it), OUT (default
# target/norm-acceptance), WIDTH (default 64), SEEDS (seeds per depth, default 16), BAND_SEEDS
# (seeds of the band table at the largest depth, default 128), DEPTHS (default "6 12 24 48"),
# PARTS (default "init"; "init train" adds a short training comparison of the placements on the
# reverse task: TRAIN_STEPS (default 400), TRAIN_SEEDS (default "42 43 44"), TRAIN_PLACEMENTS
# (default "none post pre peri pre-scaled")); "glosses" runs the 12-layer, width-128 model on the
# WordNet glosses for Post-, Pre- and Peri-LN to the schedule's end: GLOSS_STEPS (default 2000),
# GLOSS_SEEDS (default "0 1 2"), GLOSS_JOBS (runs at once, one thread each; default 2).
# Runtime on the 2-core development machine: about two minutes for init, 15 for train, 40 for glosses.
set -euo pipefail
FB=${FLOWBENCH:-"java --add-modules jdk.incubator.vector -jar app/target/flowbench.jar"}
OUT=${OUT:-target/norm-acceptance}
WIDTH=${WIDTH:-64}
SEEDS=${SEEDS:-16}
BAND_SEEDS=${BAND_SEEDS:-128}
DEPTHS=${DEPTHS:-"6 12 24 48"}
PARTS=${PARTS:-init}
mkdir -p "$OUT"

run() {
  echo "+ flowbench $*" >&2
  $FB "$@"
}

if [[ " $PARTS " == *" init "* ]]; then
# Xiong et al.'s analysis: ReLU FFN, N(0, 1/fan_in) weights, unit-variance embedding.
for L in $DEPTHS; do
  run norm-probe --placement pre,post --ffn-only --activation relu --init fan_in --layers "$L" --width "$WIDTH" \
    --heads 1 --seeds "$SEEDS" --device cpu --json > "$OUT/relu-L$L.json"
done
# The band at the largest depth with many seeds: the expectation sits on the band's lower edge.
DEEPEST=$(echo $DEPTHS | tr ' ' '\n' | sort -n | tail -1)
run norm-probe --placement pre,post --ffn-only --activation relu --init fan_in --layers "$DEEPEST" --width "$WIDTH" \
  --heads 1 --seeds "$BAND_SEEDS" --seed 1000 --device cpu --json > "$OUT/band.json"
# The model's own GELU MLP, for comparison (E[GELU(z)^2] < E[ReLU(z)^2] for z ~ N(0, 1)).
run norm-probe --placement pre,post,peri,pre-scaled --ffn-only --activation gelu --init fan_in --layers 48 \
  --width "$WIDTH" --heads 1 --seeds "$SEEDS" --device cpu --json > "$OUT/gelu-L48.json"

if command -v python3 > /dev/null; then
python3 - "$OUT" $DEPTHS <<'PY'
import json, sys, os
out, depths = sys.argv[1], [int(d) for d in sys.argv[2:]]
def load(name):
    with open(os.path.join(out, name)) as f:
        return {p["placement"]: p for p in json.load(f)["placements"]}
deep = load("band.json")
pre, post = deep["pre"], deep["post"]
print(f"Pre-LN, FFN-only, ReLU, L = {max(depths)}, {json.load(open(os.path.join(out, 'band.json')))['seeds']} seeds:"
      " E||x_l||^2/d (seed mean +- se) against Xiong's band")
print(f"{'l':>3} {'pre':>9} {'se':>7} {'band':>13} {'in':>4} {'in 3se':>6} {'post':>8}")
strict = within = 0
for a, b in zip(pre["layers"], post["layers"]):
    l = a["layer"]
    strict += a["inside_band"]; within += a["inside_band_3se"]
    if l % 4 == 0 or l < 4:
        print(f"{l:>3} {a['mean_square']:9.4f} {a['mean_square_se']:7.4f} {a['band_low']:5.1f}..{a['band_high']:<6.1f}"
              f" {str(a['inside_band'])[0]:>4} {str(a['inside_band_3se'])[0]:>6} {b['mean_square']:8.5f}")
n = len(pre["layers"])
print(f"layers inside the band: {strict}/{n} strictly, {within}/{n} within 3 standard errors")
slope = (pre["layers"][-1]["mean_square"] - pre["layers"][0]["mean_square"]) / (n - 1)
print(f"Pre-LN growth per layer: {slope:.4f} d (band: 0.5 .. 1.5 d)")
print()
print("Gradient norm of the last block's FFN weights (fc, proj), seed mean")
print(f"{'L':>3} {'pre fc':>9} {'pre proj':>9} {'post fc':>9} {'post proj':>9} {'post/pre proj':>13}")
for L in depths:
    d = load(f"relu-L{L}.json")
    a, b = d["pre"]["layers"][-1], d["post"]["layers"][-1]
    print(f"{L:>3} {a['ffn_fc_grad_norm']:9.4f} {a['ffn_proj_grad_norm']:9.4f} {b['ffn_fc_grad_norm']:9.4f}"
          f" {b['ffn_proj_grad_norm']:9.4f} {b['ffn_proj_grad_norm'] / a['ffn_proj_grad_norm']:13.3f}")
print()
g = load("gelu-L48.json")
print("GELU MLP, L = 48: E||x_l||^2/d at l = 12, 24, 48")
for name, p in g.items():
    ls = p["layers"]
    print(f"{name:>11}: {ls[12]['mean_square']:8.3f} {ls[24]['mean_square']:8.3f} {ls[48]['mean_square']:8.3f}")
PY
fi
fi

if [[ " $PARTS " == *" train "* ]]; then
TRAIN_STEPS=${TRAIN_STEPS:-400}
TRAIN_SEEDS=${TRAIN_SEEDS:-"42 43 44"}
TRAIN_PLACEMENTS=${TRAIN_PLACEMENTS:-"none post pre peri pre-scaled"}
# Reverse 12 symbols, 6 blocks of width 64, AdamW at 3e-3 with 10% warm-up and cosine decay.
for P in $TRAIN_PLACEMENTS; do
  for S in $TRAIN_SEEDS; do
    run train-lm --task reverse --task-size 12 --layers 6 --width 64 --heads 4 --steps "$TRAIN_STEPS" --batch 16 \
      --lr 3e-3 --placement "$P" --probe-every 100 --seed "$S" --device cpu --json --force \
      --out "$OUT/train-$P-$S.safetensors" > "$OUT/train-$P-$S.json" || true
  done
done
if command -v python3 > /dev/null; then
python3 - "$OUT" "$TRAIN_PLACEMENTS" "$TRAIN_SEEDS" <<'PY'
import json, sys, os, statistics as st
out, places, seeds = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
print("Training comparison (reverse 12, L = 6, d = 64): final loss over seeds; variance of x_l at the end,"
      " its least-squares slope against l = 0..L and R^2")
print(f"{'placement':>11} {'loss mean':>10} {'sd':>8} {'var x_1':>9} {'var x_3':>9} {'var x_6':>9} {'max|x|':>9}"
      f" {'slope':>8} {'R^2':>6}")
def fit(ys):
    xs = list(range(len(ys)))
    mx, my = st.mean(xs), st.mean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    ss = sum((y - my) ** 2 for y in ys)
    res = sum((y - my - slope * (x - mx)) ** 2 for x, y in zip(xs, ys))
    return slope, (1 - res / ss) if ss > 0 else float("nan")
for p in places:
    runs = []
    for s in seeds:
        try:
            with open(os.path.join(out, f"train-{p}-{s}.json")) as f:
                runs.append(json.load(f))
        except (OSError, ValueError):
            pass
    if not runs:
        print(f"{p:>11} diverged or failed"); continue
    losses = [r["final_loss"] for r in runs]
    last = [r["probes"][-1] for r in runs]
    var = lambda l: st.mean(x["variance"][l] for x in last)
    mx = st.mean(max(x["max_abs"]) for x in last)
    sd = st.stdev(losses) if len(losses) > 1 else 0.0
    slope, r2 = fit([var(l) for l in range(len(last[0]["variance"]))])
    print(f"{p:>11} {st.mean(losses):10.2e} {sd:8.1e} {var(1):9.3f} {var(3):9.3f} {var(6):9.3f} {mx:9.3f}"
          f" {slope:8.3f} {r2:6.3f}")
PY
fi
fi

if [[ " $PARTS " == *" glosses "* ]]; then
GLOSS_STEPS=${GLOSS_STEPS:-2000}
GLOSS_SEEDS=${GLOSS_SEEDS:-"0 1 2"}
GLOSS_JOBS=${GLOSS_JOBS:-2}
# AdamW at 2e-3, warm-up over the first twelfth, cosine decay; probes every 100 steps (DepthTrainingRun:
# the training of `train-lm --task text`, writing each probe to CSV as it is taken).
for S in $GLOSS_SEEDS; do for P in post pre peri; do echo "$P $S"; done; done |
  xargs -P "$GLOSS_JOBS" -n 2 sh -c 'echo "+ DepthTrainingRun $0 seed $1" >&2;
    OPENBLAS_NUM_THREADS=1 java -Xmx2g --add-modules jdk.incubator.vector -cp "app/target/lib/*" \
      org.flowbench.compute.devicecheck.DepthTrainingRun --text samples/norm/wordnet-glosses.txt \
      --placement "$0" --seed "$1" --steps '"$GLOSS_STEPS"' --lr 2e-3 --warmup '"$((GLOSS_STEPS / 12))"' --batch 16 \
      --layers 12 --width 128 --heads 4 --seq 64 --probe-every 100 --threads 1 --device cpu \
      --out '"$OUT"'/glosses-$0-$1.csv > '"$OUT"'/glosses-$0-$1.log 2>&1'
python3 - "$OUT" "$GLOSS_STEPS" <<'PY'
import csv, glob, os, sys, statistics as st
out, last = sys.argv[1], int(sys.argv[2])
rows = [r for f in sorted(glob.glob(os.path.join(out, "glosses-*.csv"))) for r in csv.DictReader(open(f))]
print(f"12 layers, width 128, WordNet glosses, step {last}: loss over seeds; variance of x_l (mean over seeds),"
      " its least-squares slope against l = 1..12 and R^2")
print(f"{'placement':>9} {'loss':>7} {'sd':>6} {'var x_1':>8} {'var x_6':>8} {'var x_12':>8} {'slope':>7} {'R^2':>6} {'max|x|':>7}")
for p in ("post", "pre", "peri"):
    sel = [r for r in rows if r["placement"] == p and int(r["step"]) == last]
    if not sel:
        print(f"{p:>9} no run reached step {last}"); continue
    seeds = sorted({r["seed"] for r in sel})
    loss = [float(next(r for r in sel if r["seed"] == s)["loss"]) for s in seeds]
    var = {l: st.mean(float(r["variance"]) for r in sel if int(r["layer"]) == l) for l in range(1, 13)}
    xs = list(range(1, 13)); ys = [var[l] for l in xs]
    mx, my = st.mean(xs), st.mean(ys)
    sxx = sum((x - mx) ** 2 for x in xs); sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    syy = sum((y - my) ** 2 for y in ys)
    slope, r2 = sxy / sxx, (sxy * sxy / (sxx * syy) if syy > 0 else float("nan"))
    sd = st.stdev(loss) if len(loss) > 1 else 0.0
    top = max(float(r["max_abs"]) for r in sel)
    print(f"{p:>9} {st.mean(loss):7.3f} {sd:6.3f} {var[1]:8.2f} {var[6]:8.2f} {var[12]:8.2f} {slope:7.3f} {r2:6.3f} {top:7.1f}")
PY
fi
