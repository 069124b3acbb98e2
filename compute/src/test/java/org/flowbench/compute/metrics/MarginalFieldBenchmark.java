package org.flowbench.compute.metrics;

import java.util.concurrent.TimeUnit;
import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.path.ProbabilityPath;
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

/** One evaluation of the closed-form marginal field: 1,000 particles against m target points. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class MarginalFieldBenchmark {

    @Param({"64", "1000"})
    int targets;

    private EmpiricalMarginalField field;
    private float[] x;
    private final float[] v = new float[2 * N];
    private static final int N = 1000;

    @Setup(Level.Trial)
    public void setUp() {
        field = new EmpiricalMarginalField(ProbabilityPath.icfm(0.05), Datasets.MOONS.sample(targets, 1));
        x = Datasets.NORMAL.sample(N, 2);
    }

    @Benchmark
    public float[] evaluateOnce() {
        field.velocity(x, N, 0.5f, v);
        return v;
    }
}
