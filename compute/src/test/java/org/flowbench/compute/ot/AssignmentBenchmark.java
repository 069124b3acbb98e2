package org.flowbench.compute.ot;

import java.util.concurrent.TimeUnit;
import org.flowbench.compute.data.Datasets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Exact minibatch OT pairing (cost matrix plus Jonker-Volgenant) of N(0, I) against moons, the
 * per-step cost of OT-CFM training at its usual batch sizes, and exact W2 at evaluation size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class AssignmentBenchmark {

    @Param({"128", "256", "512", "1000"})
    int n;

    private float[] source;
    private float[] target;

    @Setup(Level.Trial)
    public void setUp() {
        source = Datasets.NORMAL.sample(n, 1);
        target = Datasets.MOONS.sample(n, 2);
    }

    @Benchmark
    public AssignmentSolution matchSquaredEuclidean() {
        return SquaredEuclideanOt.match(source, target, n);
    }
}
