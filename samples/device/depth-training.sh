#!/usr/bin/env bash
# The depth comparison of the Normalization & depth lab, trained on a machine with many cores
# from the GPU check kit (.gpukit, made by samples/device/build-gpu-kit.sh): one JVM per placement
# and seed, one cpu thread each, the 12-layer, width-128, context-64, batch-16 model on the
# WordNet glosses (samples/norm/wordnet-glosses.txt). Run from the repository root:
#   samples/device/depth-training.sh start     # starts the runs in the background
#   samples/device/depth-training.sh wait      # waits until DEPTH_SECONDS after start, stops what is
#                                              # left, and gathers $OUT/depth-training.csv and .log
# Each run appends its probes as it takes them, so a run stopped by the time limit keeps its curve.
# DEPTH_STEPS (1200), DEPTH_SEEDS (0 1 2), DEPTH_LR (2e-3), DEPTH_SECONDS (420), DEPTH_SMALL=1 for a
# tiny model (a check of the script on a small machine). GRID_SEEDS (1 2; empty for none) and
# GRID_TRAJECTORIES (32000): the GFlowNet HyperGrid comparison of samples/gflownet-acceptance.sh
# for more seeds, four queues (4D H=8 and 2D H=64, R0 0.1 and 0.01) beside the depth runs.
set -uo pipefail
root=$(pwd)
kit="$root/.gpukit"
out="${OUT:-$root/target/depth-training}"
work=/tmp/flowbench-depth
mkdir -p "$out"
case "${1:-}" in
start)
    rm -rf "$work"; mkdir -p "$work"
    date +%s > "$work/started"
    steps=${DEPTH_STEPS:-1200}
    if [ "${DEPTH_SMALL:-0}" = 1 ]; then shape=(--layers 2 --width 16 --heads 2 --seq 16 --probe-every 5); else
        shape=(--layers 12 --width 128 --heads 4 --seq 64 --probe-every 100); fi
    for p in post pre peri; do
        for s in ${DEPTH_SEEDS:-0 1 2}; do
            OPENBLAS_NUM_THREADS=1 nohup "$kit/jre/bin/java" -Xmx2g --add-modules jdk.incubator.vector \
                -cp "$kit/classes:$kit/lib/*" org.flowbench.compute.devicecheck.DepthTrainingRun \
                --text samples/norm/wordnet-glosses.txt --placement $p --seed $s --steps $steps \
                --lr ${DEPTH_LR:-2e-3} --warmup $(( steps / 12 )) --batch 16 "${shape[@]}" --threads 1 \
                --device cpu --out "$work/$p-$s.csv" > "$work/$p-$s.log" 2>&1 &
            echo $! >> "$work/pids"
        done
    done
    echo "depth training: $(wc -l < "$work/pids") runs started, $steps steps each"
    # The HyperGrid comparison's other seeds on the cores left: one queue per env and R0 (each
    # runs TB, DB and SubTB for every seed in GRID_SEEDS, one after the other).
    if [ -n "${GRID_SEEDS:-1 2}" ]; then
        for env in hypergrid:D=4,H=8 hypergrid:D=2,H=64; do
            for r0 in 0.1 0.01; do
                tag=$(echo "$env-$r0" | tr -d ':=,')
                (for s in ${GRID_SEEDS:-1 2}; do for loss in tb db subtb:0.9; do
                    OPENBLAS_NUM_THREADS=1 "$kit/jre/bin/java" -Xmx1g --add-modules jdk.incubator.vector \
                        -cp "$kit/classes:$kit/lib/*" org.flowbench.compute.devicecheck.GridComparisonRun \
                        --env "$env,R0=$r0" --loss $loss --seed $s --trajectories ${GRID_TRAJECTORIES:-32000} \
                        --out "$work/grid-$tag-$(echo $loss | tr -d ':')-$s.grid" >> "$work/grid-$tag.log" 2>&1
                done; done) &
                echo $! >> "$work/pids"
            done
        done
    fi
    ;;
wait)
    limit=${DEPTH_SECONDS:-420}
    started=$(cat "$work/started")
    while [ $(( $(date +%s) - started )) -lt "$limit" ]; do
        alive=0
        for pid in $(cat "$work/pids"); do kill -0 "$pid" 2>/dev/null && alive=$((alive + 1)); done
        [ "$alive" = 0 ] && break
        sleep 5
    done
    for pid in $(cat "$work/pids"); do kill "$pid" 2>/dev/null && echo "stopped run $pid at the time limit"; done
    sleep 1
    first=1
    for f in "$work"/*.csv; do
        if [ $first = 1 ]; then cat "$f"; first=0; else tail -n +2 "$f"; fi
    done > "$out/depth-training.csv"
    for f in "$work"/*.log; do echo "== $(basename "$f")"; tail -n 3 "$f"; done > "$out/depth-training.log"
    grep -h "^#" "$work"/*.csv | sed 's/^/final: /' >> "$out/depth-training.log"
    if ls "$work"/*.grid >/dev/null 2>&1; then
        first=1
        for f in "$work"/*.grid; do
            if [ $first = 1 ]; then cat "$f"; first=0; else tail -n +2 "$f"; fi
        done > "$out/grid-comparison.csv"
        echo "grid comparison: $(ls "$work"/*.grid | wc -l) runs, $(tail -n +2 "$out/grid-comparison.csv" | wc -l) snapshots"
    fi
    cat "$out/depth-training.log"
    ;;
*)
    echo "usage: $0 start|wait"; exit 2 ;;
esac
