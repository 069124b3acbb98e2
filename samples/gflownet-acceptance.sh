#!/usr/bin/env bash
# Acceptance experiments of the GFlowNet engine (HyperGrid and set generation).
# Every figure in samples/gflownet/README.md comes from the flowbench command this script
# prints before it (on stderr) and records beside it in $OUT/results.tsv.
#
#   mvn -B -q package -DskipTests && bash samples/gflownet-acceptance.sh
#
# Environment: FLOWBENCH (how to run flowbench, default: java -jar app/target/flowbench.jar),
# OUT (result folder, default target/gflownet-acceptance), PARTS (default "tb diag grids sets"),
# SEEDS (default "0 1 2"), SAMPLES (fresh samples for the sampled L1, default 100000),
# GRID_TRAJECTORIES (per run of the 4D/64 comparison, default 32000), SETS30_STEPS and
# SETS80_STEPS (training steps of batch 16 per set generation run, defaults 2000 and 1000).
# Parts:
#   tb     HyperGrid 2D H=8, TB, 32k trajectories, 2x256 ReLU, Adam 1e-3, log Z lr 0.1, batch 16:
#          L1 of the exact induced distribution (target <= 0.012) and of SAMPLES fresh samples,
#          wall time per seed.
#   diag   the same TB runs with log Z learning rate 0.01 instead of 0.1: a diagnosis of the late
#          rise of L1 in the tb part, not the acceptance setting.
#   grids  4D H=8 and 2D H=64, R0 = 0.1 and 0.01, TB / DB / SubTB(0.9): L1, log Z error and
#          modes found against trajectories seen (history CSVs), one seed.
#   sets   set generation 30/20 and 80/60: TB, DB, FL-DB and FL-DB from incomplete
#          trajectories, top-100 mean reward against steps (history CSVs), every seed.
set -euo pipefail
FB=${FLOWBENCH:-"java -jar app/target/flowbench.jar"}
OUT=${OUT:-target/gflownet-acceptance}
PARTS=${PARTS:-"tb diag grids sets"}
SEEDS=${SEEDS:-"0 1 2"}
SAMPLES=${SAMPLES:-100000}
GRID_TRAJECTORIES=${GRID_TRAJECTORIES:-32000}
SETS30_STEPS=${SETS30_STEPS:-2000}
SETS80_STEPS=${SETS80_STEPS:-1000}
mkdir -p "$OUT"
RESULTS="$OUT/results.tsv"
touch "$RESULTS"

run() {
  echo "+ flowbench $*" >&2
  $FB "$@"
}

# record LABEL ARGS...: runs a flowbench command with --json and appends "LABEL<TAB>json<TAB>command".
record() {
  local label=$1; shift
  local json
  json=$(run "$@" --json 2>>"$OUT/stderr.log")
  printf '%s\t%s\tflowbench %s --json\n' "$label" "$json" "$*" >> "$RESULTS"
  printf '%s\t%s\n' "$label" "$json"
}

# The acceptance setting; every part adds its log Z learning rate (0.1 unless it says otherwise).
STANDARD="--hidden 256,256 --activation relu --lr 1e-3 --batch 16 --device cpu --force"

case " $PARTS " in *" tb "*)
  record "exact hypergrid:D=2,H=8" gfn-exact --env hypergrid:D=2,H=8
  record "exact hypergrid:D=4,H=8" gfn-exact --env hypergrid:D=4,H=8
  record "exact hypergrid:D=2,H=64" gfn-exact --env hypergrid:D=2,H=64
  for seed in $SEEDS; do
    m="$OUT/tb-2d8-$seed.safetensors"
    record "tb 2d8 train $seed" train-gfn --env hypergrid:D=2,H=8 --loss tb --trajectories 32000 --eval-every 2000 \
        $STANDARD --logz-lr 0.1 --seed "$seed" --out "$m" --history "$OUT/tb-2d8-$seed.csv"
    record "tb 2d8 eval $seed" eval-gfn --model "$m" --samples "$SAMPLES" --seed "$seed" --device cpu
  done
;; esac

case " $PARTS " in *" diag "*)
  for seed in $SEEDS; do
    m="$OUT/tb-2d8-logzlr001-$seed.safetensors"
    record "diag tb 2d8 logz-lr 0.01 $seed" train-gfn --env hypergrid:D=2,H=8 --loss tb --trajectories 32000 --eval-every 2000 \
        $STANDARD --logz-lr 0.01 --seed "$seed" --out "$m" --history "$OUT/tb-2d8-logzlr001-$seed.csv"
  done
;; esac

case " $PARTS " in *" grids "*)
  seed=$(echo $SEEDS | cut -d' ' -f1)
  for env in hypergrid:D=4,H=8 hypergrid:D=2,H=64; do
    for r0 in 0.1 0.01; do
      for loss in tb db subtb:0.9; do
        name="grid-$(echo "$env" | tr -d ':=,' )-r0$r0-$(echo "$loss" | tr -d ':')-$seed"
        record "grids $env,R0=$r0 $loss $seed" train-gfn --env "$env,R0=$r0" --loss "$loss" --trajectories "$GRID_TRAJECTORIES" \
            --eval-every 2000 $STANDARD --logz-lr 0.1 --seed "$seed" --out "$OUT/$name.safetensors" --history "$OUT/$name.csv"
      done
    done
  done
;; esac

case " $PARTS " in *" sets "*)
  for size in "30 20 $SETS30_STEPS" "80 60 $SETS80_STEPS"; do
    set -- $size
    env="sets:U=$1,S=$2"
    trajectories=$(( $3 * 16 ))
    every=$(( trajectories / 10 ))
    record "exact $env" gfn-exact --env "$env"
    for seed in $SEEDS; do
      for variant in tb db fldb fldb-incomplete; do
        loss=${variant%-incomplete}
        extra=""
        [ "$variant" = fldb-incomplete ] && extra="--incomplete"
        name="sets-$1-$2-$variant-$seed"
        record "sets $env $variant $seed" train-gfn --env "$env" --loss "$loss" $extra --trajectories "$trajectories" \
            --eval-every "$every" $STANDARD --logz-lr 0.1 --seed "$seed" --out "$OUT/$name.safetensors" --history "$OUT/$name.csv"
      done
    done
  done
;; esac
echo "results: $RESULTS" >&2
