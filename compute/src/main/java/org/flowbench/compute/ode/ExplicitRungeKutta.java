package org.flowbench.compute.ode;

/**
 * Fixed-step explicit Runge-Kutta methods given by their Butcher tableau: stage q evaluates
 * k_q = v(x + h sum_{r<q} a_qr k_r, t + c_q h), and the step is x + h sum_q b_q k_q.
 * Immutable and thread-safe.
 */
public final class ExplicitRungeKutta implements OdeSolver {

    /** Forward Euler, order 1, 1 NFE per step. */
    public static final ExplicitRungeKutta EULER = new ExplicitRungeKutta("euler",
            new double[][] {{}}, new double[] {1}, new double[] {0});

    /** Explicit midpoint, order 2, 2 NFE per step. */
    public static final ExplicitRungeKutta MIDPOINT = new ExplicitRungeKutta("midpoint",
            new double[][] {{}, {0.5}}, new double[] {0, 1}, new double[] {0, 0.5});

    /** Heun's method (explicit trapezoid), order 2, 2 NFE per step. */
    public static final ExplicitRungeKutta HEUN = new ExplicitRungeKutta("heun",
            new double[][] {{}, {1}}, new double[] {0.5, 0.5}, new double[] {0, 1});

    /** The classical fourth-order Runge-Kutta method, 4 NFE per step. */
    public static final ExplicitRungeKutta RK4 = new ExplicitRungeKutta("rk4",
            new double[][] {{}, {0.5}, {0, 0.5}, {0, 0, 1}}, new double[] {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6},
            new double[] {0, 0.5, 0.5, 1});

    private final String name;
    private final double[][] a; // a[q][r], r < q
    private final double[] b;
    private final double[] c;

    private ExplicitRungeKutta(String name, double[][] a, double[] b, double[] c) {
        this.name = name;
        this.a = a;
        this.b = b;
        this.c = c;
    }

    @Override
    public String name() {
        return name;
    }

    /** s, the number of stages (= NFE per step). */
    public int stages() {
        return b.length;
    }

    @Override
    public int nfePerStep() {
        return b.length;
    }

    /** The node c_q of stage q: the stage is evaluated at t + c_q h. */
    public double node(int stage) {
        return c[stage];
    }

    @Override
    public OdeResult integrate(VelocityField field, float[] x0, int n, TimeGrid grid, Recording recording, IntegrationMonitor monitor,
                               OdeStepHandler handler) {
        OdeChecks.checkBatch(field, x0, n);
        if (grid == null || recording == null || monitor == null || handler == null) {
            throw new IllegalArgumentException("time grid, recording, monitor and step handler must not be null");
        }
        int s = b.length;
        int len = 2 * n;
        float[] x = new float[len];
        System.arraycopy(x0, 0, x, 0, len);
        float[][] k = new float[s][len];
        float[] stageState = new float[len];
        float[] ha = new float[s];
        TrajectoryRecorder recorder = new TrajectoryRecorder(recording, n, s);
        int steps = grid.steps();
        boolean handlerStages = handler.wantsStages();
        double[] handlerStageTimes = new double[handlerStages ? s : 0];
        float[] handlerStagePoints = new float[handlerStages ? s * len : 0];
        if (recorder.wantsFrame(0)) {
            recorder.addFrame(0, grid.start(), x);
        }
        for (int i = 0; i < steps; i++) {
            OdeChecks.checkCancelled(monitor, name, i);
            double t = grid.time(i);
            double h = grid.time(i + 1) - t;
            boolean keepStages = recorder.wantsStages(i);
            if (keepStages) {
                recorder.beginStages(i);
            }
            for (int q = 0; q < s; q++) {
                double stageTime = t + c[q] * h;
                float[] point = x;
                if (q > 0) {
                    for (int r = 0; r < q; r++) {
                        ha[r] = (float) (h * a[q][r]);
                    }
                    combine(x, k, ha, q, stageState, len);
                    point = stageState;
                }
                if (keepStages) {
                    recorder.addStage(q, stageTime, point);
                }
                if (handlerStages) {
                    handlerStageTimes[q] = stageTime;
                    System.arraycopy(point, 0, handlerStagePoints, q * len, len);
                }
                field.velocity(point, n, (float) stageTime, k[q]);
            }
            for (int r = 0; r < s; r++) {
                ha[r] = (float) (h * b[r]);
            }
            combine(x, k, ha, s, x, len);
            int done = i + 1;
            if (recorder.wantsFrame(done)) {
                recorder.addFrame(done, grid.time(done), x);
            }
            handler.handleStep(new OdeStepHandler.AcceptedStep(i, t, grid.time(done), n, x, done * s,
                    handlerStages ? s : 0, handlerStageTimes, handlerStagePoints));
            monitor.onStep(done, steps, grid.time(done));
        }
        OdeChecks.checkFinite(x, n, name, steps, grid.end());
        Trajectory trajectory = recorder.finish(steps, grid.end(), x);
        return new OdeResult(name, n, x, grid.times(), steps * s, 0, trajectory);
    }

    @Override
    public StepResult step(VelocityField field, float[] x, int n, double t, double h) {
        OdeChecks.checkBatch(field, x, n);
        OdeChecks.checkStep(t, h);
        int s = b.length;
        int len = 2 * n;
        float[][] k = new float[s][len];
        float[] points = new float[s * len];
        float[] velocities = new float[s * len];
        double[] times = new double[s];
        float[] stageState = new float[len];
        float[] ha = new float[s];
        for (int q = 0; q < s; q++) {
            times[q] = t + c[q] * h;
            if (q == 0) {
                System.arraycopy(x, 0, stageState, 0, len);
            } else {
                for (int r = 0; r < q; r++) {
                    ha[r] = (float) (h * a[q][r]);
                }
                combine(x, k, ha, q, stageState, len);
            }
            field.velocity(stageState, n, (float) times[q], k[q]);
            System.arraycopy(stageState, 0, points, q * len, len);
            System.arraycopy(k[q], 0, velocities, q * len, len);
        }
        for (int r = 0; r < s; r++) {
            ha[r] = (float) (h * b[r]);
        }
        float[] next = new float[len];
        combine(x, k, ha, s, next, len);
        return new StepResult(name, t, h, n, next, times, points, velocities, s, Double.NaN);
    }

    /** out = x + sum_{r < terms} coef[r] k[r]; out may be x. */
    private static void combine(float[] x, float[][] k, float[] coef, int terms, float[] out, int len) {
        switch (terms) {
            case 1 -> {
                float c0 = coef[0];
                float[] k0 = k[0];
                for (int j = 0; j < len; j++) {
                    out[j] = x[j] + c0 * k0[j];
                }
            }
            case 2 -> {
                float c0 = coef[0];
                float c1 = coef[1];
                float[] k0 = k[0];
                float[] k1 = k[1];
                for (int j = 0; j < len; j++) {
                    out[j] = x[j] + (c0 * k0[j] + c1 * k1[j]);
                }
            }
            default -> {
                for (int j = 0; j < len; j++) {
                    float acc = 0f;
                    for (int r = 0; r < terms; r++) {
                        acc += coef[r] * k[r][j];
                    }
                    out[j] = x[j] + acc;
                }
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
