#!/usr/bin/env bash
# The OpenCL device on a GPU machine that has the NVIDIA driver but no Java and no OpenCL ICD
# loader, from the kit samples/device/build-gpu-kit.sh made (.gpukit/). Run from the repository root:
#   samples/device/gpu-check.sh
# Parts, each under its own time limit, results printed as they come (stdout and $OUT/gpu-check.log):
#   1 OpenCL devices  2 parity suite (every device op against double-precision references and the
#   cpu device)  3 kernel timings  4 Transformer training step  6 PyTorch on the same GPU
#   (samples/device/torch_reference.py; skipped without CUDA)  5 memory pool near its limit
#   3b/4b timings on Aparapi's launcher (-Dflowbench.opencl.launcher=aparapi: one kernel, a wait per
#   launch), a same-run baseline for the direct launcher (the default) of parts 3 and 4.
#   The whole check stops after GPU_CHECK_SECONDS (400); parts that would start later
#   are skipped.
# GPU_CHECK_SMALL=1: small sizes, for a CPU OpenCL driver. GPU_CHECK_POOL=0: skip part 5 (it needs
# about 7 GB of host memory). OCL_ICD_VENDORS already set: that driver is used as it is (e.g. PoCL).
set -uo pipefail

root=$(pwd)
kit="$root/.gpukit"
out="${OUT:-$root/target/gpu-check}"
mkdir -p "$out"
log="$out/gpu-check.log"
: > "$log"
exec > >(tee -a "$log") 2>&1

started=$(date +%s)
small=${GPU_CHECK_SMALL:-0}
say() { echo "== [$(( $(date +%s) - started )) s] $*"; }

if [ ! -x "$kit/jre/bin/java" ]; then
    echo "no kit at $kit: run samples/device/build-gpu-kit.sh on the build machine and carry .gpukit"
    exit 2
fi

if [ -z "${OCL_ICD_VENDORS:-}" ]; then
    lib=$(ls /usr/local/nvidia/lib64/libnvidia-opencl.so.1 /usr/lib/x86_64-linux-gnu/libnvidia-opencl.so.1 2>/dev/null | head -1)
    if [ -z "$lib" ]; then
        lib=$(find / -xdev -name 'libnvidia-opencl.so.1' 2>/dev/null | head -1)
    fi
    if [ -z "$lib" ]; then
        lib=$(find / -name 'libnvidia-opencl.so*' -not -path '/proc/*' 2>/dev/null | head -1)
    fi
    if [ -z "$lib" ]; then
        echo "no libnvidia-opencl.so found: no NVIDIA OpenCL driver on this machine"
        exit 2
    fi
    vendors="$out/icd"
    mkdir -p "$vendors"
    echo "$lib" > "$vendors/nvidia.icd"
    export OCL_ICD_VENDORS="$vendors"
    export LD_LIBRARY_PATH="$(dirname "$lib")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    echo "NVIDIA OpenCL driver: $lib"
fi
export LD_LIBRARY_PATH="$kit/ocl${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
echo "OCL_ICD_VENDORS=$OCL_ICD_VENDORS"
echo "host: $(uname -srm), $(nproc) cores, $(ldd --version 2>&1 | head -1)"
glibc=$(ldd --version 2>&1 | head -1 | grep -o '[0-9]\+\.[0-9]\+$')
if [ -n "$glibc" ] && [ "$(printf '%s\n2.34\n' "$glibc" | sort -V | head -1)" != 2.34 ]; then
    echo "glibc $glibc is older than 2.34, which the kit's Java runtime (built on Debian 12) needs: the Java parts will fail"
fi
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv,noheader

java="$kit/jre/bin/java"
cp="$kit/classes:$kit/test-classes:$kit/lib/*"
if [ "$small" = 1 ]; then heap=3g; size=--small; else heap=16g; size=; fi
jvm=(-Xmx$heap --add-modules jdk.incubator.vector -cp "$cp")
status=0
budget=${GPU_CHECK_SECONDS:-400}  # the whole check, so it ends within 7 minutes
part() { # name, seconds, command...: runs under the smaller of its limit and what is left of the budget
    local name=$1 limit=$2; shift 2
    local left=$(( budget - ($(date +%s) - started) ))
    if [ "$left" -lt 15 ]; then
        say "$name: skipped, the check's $budget s are spent"
        status=1
        return
    fi
    [ "$limit" -le "$left" ] || limit=$left
    say "$name (limit ${limit} s)"
    timeout -k 5 "$limit" "$@"
    local rc=$?
    if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
        echo "$name: stopped at its time limit of $limit s"
    elif [ $rc -ne 0 ]; then
        echo "$name: exit status $rc"
    fi
    [ $rc -eq 0 ] || status=1
}

part "1 OpenCL devices" 30 "$java" "${jvm[@]}" org.flowbench.compute.devicecheck.OpenClCheck devices
part "2 parity suite" 120 "$java" "${jvm[@]}" org.flowbench.compute.device.OpenClSuiteMain \
    org.flowbench.compute.device.DeviceParityTest \
    org.flowbench.compute.device.TransformerOpsParityTest \
    org.flowbench.compute.lm.FlowAttentionDeviceTest \
    org.flowbench.compute.device.ChannelNormParityTest \
    org.flowbench.compute.device.DeviceContractTest \
    org.flowbench.compute.device.GradientCheckTest \
    org.flowbench.compute.device.opencl.OpenClDeviceTest \
    org.flowbench.compute.device.opencl.GroupKernelsTest \
    org.flowbench.compute.device.opencl.PoolLimitTest \
    org.flowbench.compute.norm.NormLayersTest \
    org.flowbench.compute.norm.NormGradientCheckTest \
    org.flowbench.compute.lm.TransformerLmGradientTest \
    org.flowbench.compute.lm.LmTrainingTest
part "3 kernel timings" 110 "$java" "${jvm[@]}" org.flowbench.compute.devicecheck.OpenClCheck bench $size --seconds 1
part "4 Transformer training step" 60 "$java" "${jvm[@]}" org.flowbench.compute.devicecheck.OpenClCheck lm $size --seconds 3
if command -v python3 >/dev/null; then
    part "6 PyTorch on the same GPU" 80 python3 "$root/samples/device/torch_reference.py" ${size:+--small}
else
    say "6 PyTorch: no python3 here, skipped"
fi
if [ "${GPU_CHECK_POOL:-1}" = 1 ]; then
    part "5 memory pool" 45 "$java" -Xmx12g --add-modules jdk.incubator.vector -cp "$cp" \
        org.flowbench.compute.devicecheck.OpenClCheck pool
fi
# The same on the one-item kernels (the products and norm rows the device ran before the work-group
# kernels, in the same compiled program; the copy stays wide): a same-run baseline.
part "3b kernel timings, Aparapi launcher" 75 "$java" -Dflowbench.opencl.launcher=aparapi "${jvm[@]}" \
    org.flowbench.compute.devicecheck.OpenClCheck bench $size --seconds 0.5
part "4b Transformer training step, Aparapi launcher" 40 "$java" -Dflowbench.opencl.launcher=aparapi "${jvm[@]}" \
    org.flowbench.compute.devicecheck.OpenClCheck lm $size --seconds 2
say "summary"
# Read into a variable first: grep must not read the lines it prints, which tee appends to the log.
summary=$(grep -E '^(== \[[0-9]+ s\] [0-9]|parity suite:|FAIL |opencl:[0-9]+ runs|kernel:|dense forward \(GEMM\) 4096|batched matmul NN 4096|launcher:|launch latency|launch rate|device copy|device fill|LayerNorm (forward|backward)|RMSNorm|Transformer training step|Transformer step device time|torch |pool check:|refused as)|: (stopped at its time limit|exit status|skipped)' "$log" \
    | sed 's/(vocab=.*activation=gelu, /(/')
echo "$summary"
say "done, status $status; log in $log"
exit $status
