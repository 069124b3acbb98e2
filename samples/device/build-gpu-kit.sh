#!/usr/bin/env bash
# Builds .gpukit/: everything samples/device/gpu-check.sh needs on a machine that has an OpenCL GPU
# driver but no Java and no OpenCL ICD loader (e.g. a CUDA machine): a trimmed Java 17 runtime, the
# compute module's classes and test classes (the OpenCL parity suite), the jars they need without
# ND4J's native bundle, and Debian's OpenCL ICD loader.
#
# Run from the repository root, on this (Debian 12, x86_64) machine:  samples/device/build-gpu-kit.sh
# Needs: jlink (JDK 17), mvn with the ~/.m2 repository filled by an earlier build, apt-get, dpkg.
set -euo pipefail

root=$(pwd)
kit="$root/.gpukit"
[ -f compute/pom.xml ] || { echo "run from the repository root" >&2; exit 2; }

echo "compiling compute (main and test classes)" >&2
mvn -B -o -q -pl compute test-compile

rm -rf "$kit"
mkdir -p "$kit/lib" "$kit/ocl" "$kit/tmp"

echo "linking a Java 17 runtime" >&2
jlink --add-modules java.base,java.logging,java.management,jdk.incubator.vector,jdk.unsupported \
      --strip-debug --no-header-files --no-man-pages --compress=2 --output "$kit/jre"
strip --strip-unneeded "$kit/jre/lib/server/libjvm.so"

cp -r compute/target/classes "$kit/classes"
cp -r compute/target/test-classes "$kit/test-classes"

# The test class path without ND4J (the OpenCL device and the cpu device need only OpenBLAS
# through JavaCPP), fuzzing, JMH, Scala (Aparapi does not load it) and Byte Buddy (AssertJ needs
# it only for soft assertions and assumptions, which the OpenCL suites do not use).
mvn -B -o -q -pl compute dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$kit/tmp/cp.txt" >/dev/null
tr ':' '\n' < "$kit/tmp/cp.txt" | grep -E '/(javacpp|openblas|opencl|aparapi|aparapi-jni|bcel|jna|jackson-[a-z]+|junit-[a-z-]+|opentest4j|apiguardian-api|assertj-core)-[0-9]' \
    | grep -v -- '-linux-x86_64.jar$' | while read -r jar; do cp "$jar" "$kit/lib/"; done
# Native jars trimmed to linux x86_64 and to the libraries that load.
for jar in $(tr ':' '\n' < "$kit/tmp/cp.txt" | grep -E '/(javacpp|openblas|opencl)-[0-9.-]+-linux-x86_64\.jar$'); do
    name=$(basename "$jar")
    rm -rf "$kit/tmp/x" && mkdir -p "$kit/tmp/x" && (cd "$kit/tmp/x" && unzip -q "$jar")
    rm -f "$kit/tmp/x"/org/bytedeco/openblas/linux-x86_64/libjniopenblas.so
    rm -rf "$kit/tmp/x"/org/bytedeco/openblas/linux-x86_64/include "$kit/tmp/x"/org/bytedeco/opencl/linux-x86_64/include
    (cd "$kit/tmp/x" && zip -q -r -9 "$kit/lib/$name" .)
done
jni=$(ls "$kit"/lib/aparapi-jni-*.jar)
rm -rf "$kit/tmp/x" && mkdir -p "$kit/tmp/x" && (cd "$kit/tmp/x" && unzip -q "$jni")
rm -rf "$kit/tmp/x/win" "$kit/tmp/x/osx" "$kit/tmp/x"/linux/libaparapi_{aarch64,armhf,x86}.so
rm -f "$jni" && (cd "$kit/tmp/x" && zip -q -r -9 "$jni" .)

echo "fetching the OpenCL ICD loader (ocl-icd-libopencl1)" >&2
(cd "$kit/tmp" && apt-get download ocl-icd-libopencl1 2>/dev/null >&2)
dpkg -x "$kit"/tmp/ocl-icd-libopencl1_*.deb "$kit/tmp/deb"
cp -a "$kit"/tmp/deb/usr/lib/x86_64-linux-gnu/libOpenCL.so* "$kit/ocl/"

rm -rf "$kit/tmp"
du -sh "$kit" >&2
du -sh "$kit"/* >&2
