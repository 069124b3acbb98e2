/**
 * JMH benchmarks of the hot paths (never run as unit tests).
 *
 * <p>Run them from the repository root with one command:
 * <pre>
 * mvn -B -pl compute -Pbench test-compile exec:exec
 * </pre>
 * which runs the compute-device suite (MLP forward for widths 128 and 256 at batches 1k, 10k and
 * 100k; one device-resident Euler sampling loop of 100 steps for 10k particles; LayerNorm forward
 * and backward on 4096 x 1024; ND4J sgemm and memory-copy baselines) in a few minutes and ends
 * with a table of evaluations per second, GFLOP/s and GB/s next to the same-run sgemm and copy
 * figures. JMH options go in {@code -Dbench}: another device with
 * {@code -Dbench="-p device=opencl"}, one benchmark with {@code -Dbench="DeviceNormBenchmark"},
 * every benchmark of the module with {@code -Dbench=".*"}.
 */
package org.flowbench.compute.bench;
