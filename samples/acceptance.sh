#!/usr/bin/env bash
# Acceptance experiments of the flow engine (Tong et al. 2D setting, reflow, BOSS).
# Every figure in the table comes from the flowbench command printed before it.
#
#   bash samples/acceptance.sh            # after: mvn -B -q package -DskipTests
#
# Environment: FLOWBENCH (how to run flowbench, default: java -jar app/target/flowbench.jar),
# OUT (result folder, default target/acceptance), STEPS (training steps per model, default 80000:
# as many training pairs at batch 128 as Tong et al.'s runner saw, 1000 epochs of 20 batches of
# 512), SEEDS (default "42 43 44 45 46"), TARGETS (default "8gaussians-std1 moons-sklearn", the
# runner's datasets; "8gaussians moons" are torchcfm's), PARTS (default "tong reflow": the
# Tong et al. table, then reflow/BOSS on the sample checkpoints).
# Runtime on the 2-core development machine: about 25 minutes per target with the defaults.
# Training runs on one core, so two targets run side by side in about the time of one:
#   TARGETS=8gaussians-std1 OUT=target/acc-8g bash samples/acceptance.sh &
#   TARGETS=moons-sklearn   OUT=target/acc-mo bash samples/acceptance.sh
set -euo pipefail
FB=${FLOWBENCH:-"java -jar app/target/flowbench.jar"}
OUT=${OUT:-target/acceptance}
STEPS=${STEPS:-80000}
SEEDS=${SEEDS:-"42 43 44 45 46"}
TARGETS=${TARGETS:-"8gaussians-std1 moons-sklearn"}
PARTS=${PARTS:-"tong reflow"}
mkdir -p "$OUT"
RESULTS="$OUT/results.tsv"
: > "$RESULTS"

run() {
  echo "+ flowbench $*" >&2
  $FB "$@"
}

# eval_line LABEL ARGS...: runs eval --json and appends "LABEL<TAB>json<TAB>command" to the results.
eval_line() {
  local label=$1; shift
  local json
  json=$(run eval --json "$@" 2>/dev/null)
  printf '%s\t%s\tflowbench eval --json %s\n' "$label" "$json" "$*" >> "$RESULTS"
}

# Tong et al. Table 2 setting: 3 x 64 SELU, AdamW lr 1e-3 weight decay 1e-5, sigma 0.1, batch 128.
# Their runner keeps the checkpoint with the best validation loss; we keep an exponential moving
# average of the weights (0.999) instead. Both remove the noise of the last steps at a constant
# learning rate, which otherwise leaves an occasional seed with twice the W2 of the others.
COMMON="--hidden 64,64,64 --activation selu --optimizer adamw --lr 1e-3 --weight-decay 1e-5 --ema 0.999 --batch 128 --steps $STEPS --device cpu"
# Evaluation: 1000 generated points against 1000 held-out points, RK4 with 100 steps so path
# energy and straightness are measured on fine chords.
EVAL="--n 1000 --solver rk4 --nfe 400 --device cpu"
for target in $TARGETS; do
  case " $PARTS " in *" tong "*) ;; *) break ;; esac
  for seed in $SEEDS; do
    m="$OUT/$target-$seed"
    run train-flow --source normal --target "$target" --coupling ot --path icfm --sigma 0.1 $COMMON --seed "$seed" --out "$m-otcfm.safetensors" > /dev/null
    run train-flow --source normal --target "$target" --coupling independent --path icfm --sigma 0.1 $COMMON --seed "$seed" --out "$m-icfm.safetensors" > /dev/null
    run train-flow --source normal --target "$target" --coupling independent --path linear $COMMON --seed "$seed" --out "$m-1rf.safetensors" > /dev/null
    run reflow --model "$m-1rf.safetensors" --pairs 10000 --warm-start --solver dopri5 --atol 1e-5 --rtol 1e-5 \
        --optimizer adamw --lr 1e-3 --weight-decay 1e-5 --ema 0.999 --batch 128 --steps "$STEPS" --device cpu --seed "$seed" --out "$m-2rf.safetensors" > /dev/null
    for method in otcfm icfm 1rf 2rf; do
      eval_line "tong $target $method $seed" --model "$m-$method.safetensors" --target "$target" $EVAL --seed "$seed"
    done
  done
done

# Reflow straightens and BOSS, on the sample checkpoints (see samples/README.md for how they were made).
for pair in moons 8gaussians-moons; do
  case " $PARTS " in *" reflow "*) ;; *) break ;; esac
  for round in 1rf 2rf; do
    f="samples/$pair-$round.safetensors"
    [ -f "$f" ] || continue
    eval_line "reflow $pair $round euler100" --model "$f" --n 1000 --solver euler --nfe 100 --seed 7 --device cpu
    eval_line "reflow $pair $round euler1" --model "$f" --n 1000 --solver euler --nfe 1 --seed 7 --device cpu
  done
  f="samples/$pair-1rf.safetensors"
  if [ -f "$f" ]; then
    eval_line "boss $pair 1rf boss4" --model "$f" --n 1000 --schedule boss:4 --seed 7 --device cpu
    eval_line "boss $pair 1rf euler4" --model "$f" --n 1000 --solver euler --nfe 4 --seed 7 --device cpu
  fi
done
echo "results in $RESULTS" >&2

# Summary table (needs python3; the raw results above are enough without it).
if command -v python3 > /dev/null; then
python3 - "$RESULTS" <<'PY'
import json, sys, statistics as st
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
tong, other = {}, []
for label, js, cmd in rows:
    parts, r = label.split(), json.loads(js)
    if parts[0] == "tong":
        tong.setdefault((parts[1], parts[2]), []).append(r)
    else:
        other.append((label, r))
print("Tong et al. setting, mean [min, max] over seeds (eval: 1000 points, rk4 100 steps)")
print(f"{'target':<16} {'method':<6} {'seeds':>5} {'NPE':>26} {'W2':>26} {'straightness':>14}")
for (target, method), rs in sorted(tong.items()):
    def cell(key):
        v = [r[key] for r in rs]
        return f"{st.mean(v):.3f} [{min(v):.3f}, {max(v):.3f}]"
    print(f"{target:<16} {method:<6} {len(rs):>5} {cell('npe'):>26} {cell('w2'):>26} {st.mean(r['straightness'] for r in rs):>14.4f}")
print()
print("Reflow and BOSS on the sample checkpoints (1000 points, seed 7)")
for label, r in other:
    print(f"{label:<36} w2 {r['w2']:.4f}  straightness {r['straightness']:.5f}  npe {r['npe']:.4f}  nfe {r['nfe']}  ({r['solver']})")
PY
fi
