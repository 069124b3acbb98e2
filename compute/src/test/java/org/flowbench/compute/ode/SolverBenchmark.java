package org.flowbench.compute.ode;

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
 * Solver overhead: 100 steps over 10,000 particles with a field that costs almost nothing (a
 * linear map), so the time is the solvers' own stage combinations and bookkeeping.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SolverBenchmark {

    @Param({"euler", "midpoint", "rk4"})
    String solver;

    private OdeSolver ode;
    private VelocityField field;
    private float[] x0;
    private final TimeGrid grid = TimeGrid.forward(100);
    private static final int N = 10_000;

    @Setup(Level.Trial)
    public void setUp() {
        ode = Solvers.byName(solver);
        field = new LinearTestField(0.5, 2.0);
        x0 = Datasets.NORMAL.sample(N, 1);
    }

    @Benchmark
    public OdeResult integrateHundredSteps() {
        return ode.integrate(field, x0, N, grid);
    }
}
