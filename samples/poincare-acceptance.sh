#!/usr/bin/env bash
# Acceptance experiments of the Poincaré ball lab on the WordNet mammal closure.
# Every figure in samples/poincare/README.md comes from the flowbench command this script prints.
#
#   bash samples/poincare-acceptance.sh      # after: mvn -B -q package -DskipTests
#
# Environment: FLOWBENCH (how to run flowbench, default: java -jar app/target/flowbench.jar),
# OUT (result folder, default target/poincare-acceptance), SEEDS (default "1 2 3"),
# PARTS (default "poincare euclidean lorentz"), EUCLIDEAN_LRS (default "0.1 0.3 1 3 10"),
# EUCLIDEAN_DIMS (default "5 10 20"), POINCARE_DIMS and LORENTZ_DIMS (default "5"; "5 10 20" for
# the side-by-side table), LORENTZ_LRS (default "0.3 1"), THREADS (default 1).
# Each mammal run takes 6540 edges x 300 epochs; expect tens of seconds per run on one core.
set -euo pipefail
FB=${FLOWBENCH:-"java -jar app/target/flowbench.jar"}
OUT=${OUT:-target/poincare-acceptance}
SEEDS=${SEEDS:-"1 2 3"}
PARTS=${PARTS:-"poincare euclidean lorentz"}
EUCLIDEAN_LRS=${EUCLIDEAN_LRS:-"0.1 0.3 1 3 10"}
EUCLIDEAN_DIMS=${EUCLIDEAN_DIMS:-"5 10 20"}
POINCARE_DIMS=${POINCARE_DIMS:-"5"}
LORENTZ_DIMS=${LORENTZ_DIMS:-"5"}
LORENTZ_LRS=${LORENTZ_LRS:-"0.3 1"}
THREADS=${THREADS:-1}
EDGES=${EDGES:-samples/poincare/mammal_closure.csv}
mkdir -p "$OUT"
RESULTS="$OUT/results.tsv"
: > "$RESULTS"

# The reference mammal settings (train-mammals.sh): dim 5, lr 0.3, 300 epochs, 50 negatives,
# burn-in 20 (lr x 0.01, degree^0.75 negatives), batch 10.
REF="--epochs 300 --negatives 50 --burn-in 20 --batch 10 --threads $THREADS"

# embed_line LABEL ARGS...: trains with --eval --json and appends "LABEL<TAB>json<TAB>command";
# a run that fails (a learning rate that diverges) is kept as {"error": "its one-line reason"}.
embed_line() {
  local label=$1; shift
  echo "+ flowbench embed --eval --json $*" >&2
  local json
  if ! json=$($FB embed --eval --json --force "$@" 2>"$OUT/stderr.txt"); then
    json=$(python3 -c 'import json, sys; print(json.dumps({"error": sys.argv[1]}))' "$(tail -n 1 "$OUT/stderr.txt")")
  fi
  printf '%s\t%s\tflowbench embed --eval --json %s\n' "$label" "$json" "$*" >> "$RESULTS"
  echo "$label $json" >&2
}

for part in $PARTS; do
  case $part in
    poincare)
      for dim in $POINCARE_DIMS; do
        for seed in $SEEDS; do
          embed_line "poincare dim$dim lr0.3 seed$seed" --edges "$EDGES" --manifold poincare --dim "$dim" --lr 0.3 $REF --seed "$seed" --out "$OUT/poincare-$dim-$seed.tsv"
        done
      done ;;
    euclidean)
      for dim in $EUCLIDEAN_DIMS; do
        for lr in $EUCLIDEAN_LRS; do
          embed_line "euclidean dim$dim lr$lr seed1" --edges "$EDGES" --manifold euclidean --dim "$dim" --lr "$lr" $REF --seed 1 --out "$OUT/euclidean-$dim-$lr.tsv"
        done
      done ;;
    lorentz)
      for dim in $LORENTZ_DIMS; do
        for lr in $LORENTZ_LRS; do
          for seed in $SEEDS; do
            embed_line "lorentz dim$dim lr$lr seed$seed" --edges "$EDGES" --manifold lorentz --dim "$dim" --lr "$lr" $REF --seed "$seed" --out "$OUT/lorentz-$dim-$lr-$seed.tsv"
          done
        done
      done ;;
  esac
done

# Summary: mean and spread over seeds of each setting.
python3 - "$RESULTS" <<'PY'
import json, sys, collections, statistics
rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    label, js, _ = line.rstrip("\n").split("\t", 2)
    setting = label.rsplit(" seed", 1)[0]
    rows.setdefault(setting, []).append(json.loads(js))
print(f"{'setting':32s} {'runs':>4s} {'mean rank':>16s} {'MAP':>16s} {'train s':>10s} {'cpu s':>8s}")
for setting, runs in rows.items():
    failed = [r for r in runs if "error" in r]
    if failed:
        print(f"{setting:32s} {len(runs):4d} failed: {failed[0]['error']}")
        continue
    def ms(key):
        v = [r[key] for r in runs]
        return f"{statistics.mean(v):.3f} ± {statistics.pstdev(v):.3f}" if len(v) > 1 else f"{v[0]:.3f}"
    cpu = statistics.mean(r.get('train_cpu_seconds', float('nan')) for r in runs)
    print(f"{setting:32s} {len(runs):4d} {ms('mean_rank'):>16s} {ms('map'):>16s} {statistics.mean(r['train_seconds'] for r in runs):10.1f} {cpu:8.1f}")
PY
