package org.flowbench.compute.ode;

/**
 * Adaptive Dormand-Prince 5(4) (the "dopri5"/RK45 of torchdiffeq and SciPy): seven stages with
 * the first-same-as-last property, the fifth-order solution is propagated and the embedded
 * fourth-order one estimates the error.
 *
 * <p>Error norm (Hairer, Norsett, Wanner, Solving ODEs I, II.4): the batch is one system of 2n
 * components; err = sqrt(mean_j (e_j / (atol + rtol max(|x_j|, |x'_j|)))^2). A step is accepted
 * when err <= 1; the next step is h * min(5, max(0.2, 0.9 err^(-1/5))) (no growth right after a
 * rejection). The first step size comes from Hairer's heuristic, which costs one extra NFE.
 * NFE = 2 + 6 (accepted + rejected steps). Grid times are landed on exactly. Immutable.
 */
public final class DormandPrince implements OdeSolver {

    /** Default absolute and relative tolerance. */
    public static final double DEFAULT_TOLERANCE = 1e-5;
    /** Default limit on accepted plus rejected steps. */
    public static final int DEFAULT_MAX_STEPS = 100_000;

    private static final double[] C = {0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1};
    private static final double[][] A = {
        {},
        {1.0 / 5},
        {3.0 / 40, 9.0 / 40},
        {44.0 / 45, -56.0 / 15, 32.0 / 9},
        {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
        {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
        {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84},
    };
    /** Fifth-order weights minus embedded fourth-order weights. */
    private static final double[] E = {71.0 / 57600, 0, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525, -1.0 / 40};
    private static final double SAFETY = 0.9;
    private static final double MIN_FACTOR = 0.2;
    private static final double MAX_FACTOR = 5.0;

    private final double atol;
    private final double rtol;
    private final int maxSteps;

    /** With {@link #DEFAULT_TOLERANCE} for both tolerances. */
    public DormandPrince() {
        this(DEFAULT_TOLERANCE, DEFAULT_TOLERANCE);
    }

    public DormandPrince(double atol, double rtol) {
        this(atol, rtol, DEFAULT_MAX_STEPS);
    }

    public DormandPrince(double atol, double rtol, int maxSteps) {
        if (!(atol >= 0) || !(rtol >= 0) || atol + rtol == 0 || !Double.isFinite(atol) || !Double.isFinite(rtol)) {
            throw new IllegalArgumentException("dopri5 tolerances must be finite, >= 0 and not both 0, got atol=" + atol + ", rtol=" + rtol);
        }
        if (rtol > 0 && rtol < 1e-7) {
            throw new IllegalArgumentException("dopri5 rtol below 1e-7 cannot be met in single precision, got " + rtol);
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("dopri5 step limit must be >= 1, got " + maxSteps);
        }
        this.atol = atol;
        this.rtol = rtol;
        this.maxSteps = maxSteps;
    }

    public double atol() {
        return atol;
    }

    public double rtol() {
        return rtol;
    }

    @Override
    public String name() {
        return "dopri5(atol=" + atol + ", rtol=" + rtol + ")";
    }

    @Override
    public int nfePerStep() {
        return -1;
    }

    @Override
    public OdeResult integrate(VelocityField field, float[] x0, int n, TimeGrid grid, Recording recording, IntegrationMonitor monitor,
                               OdeStepHandler handler) {
        OdeChecks.checkBatch(field, x0, n);
        if (grid == null || recording == null || monitor == null || handler == null) {
            throw new IllegalArgumentException("time grid, recording, monitor and step handler must not be null");
        }
        String name = name();
        int len = 2 * n;
        float[] x = new float[len];
        System.arraycopy(x0, 0, x, 0, len);
        float[][] k = new float[7][len];
        float[] stage = new float[len];
        float[] next = new float[len];
        float[] coef = new float[7];
        TrajectoryRecorder recorder = new TrajectoryRecorder(recording, n, 6);
        boolean handlerStages = handler.wantsStages();
        double[] handlerStageTimes = new double[handlerStages ? 6 : 0];
        float[] handlerStagePoints = new float[handlerStages ? 6 * len : 0];
        StageSink handlerSink = (q, stageTime, point) -> {
            handlerStageTimes[q] = stageTime;
            System.arraycopy(point, 0, handlerStagePoints, q * len, len);
        };

        double[] stepTimes = new double[64];
        int accepted = 0;
        int rejected = 0;
        int nfe = 0;
        double t = grid.start();
        stepTimes[0] = t;
        if (recorder.wantsFrame(0)) {
            recorder.addFrame(0, t, x);
        }
        if (n == 0) {
            return new OdeResult(name, 0, x, new double[] {grid.start(), grid.end()}, 0, 0, recorder.finish(1, grid.end(), x));
        }
        double direction = grid.isForward() ? 1.0 : -1.0;
        field.velocity(x, n, (float) t, k[0]);
        nfe++;
        double h = direction * initialStep(field, x, k[0], n, t, grid.end() - t, stage, next);
        nfe++;
        boolean lastRejected = false;

        for (int target = 1; target <= grid.steps(); target++) {
            double tEnd = grid.time(target);
            while (direction * (tEnd - t) > 0) {
                OdeChecks.checkCancelled(monitor, name, accepted);
                if (accepted + rejected >= maxSteps) {
                    throw new IllegalStateException(name + " needed more than " + maxSteps + " steps before t=" + tEnd
                            + " (reached t=" + t + "); the field may be stiff or the tolerance too tight");
                }
                boolean landing = direction * (t + h - tEnd) >= 0;
                double hStep = landing ? tEnd - t : h;
                boolean keepStages = recorder.wantsStages(accepted);
                if (keepStages) {
                    recorder.beginStages(accepted);
                    recorder.addStage(0, t, x);
                }
                if (handlerStages) {
                    handlerSink.accept(0, t, x);
                }
                StageSink sink = keepStages && handlerStages
                        ? (q, stageTime, point) -> {
                            recorder.addStage(q, stageTime, point);
                            handlerSink.accept(q, stageTime, point);
                        }
                        : keepStages ? recorder::addStage : handlerStages ? handlerSink : null;
                double tBefore = t;
                double err = attempt(field, x, n, t, hStep, k, stage, next, coef, sink);
                nfe += 6;
                if (err <= 1.0) {
                    double factor = err == 0 ? MAX_FACTOR : Math.min(MAX_FACTOR, Math.max(MIN_FACTOR, SAFETY * Math.pow(err, -0.2)));
                    if (lastRejected) {
                        factor = Math.min(1.0, factor);
                    }
                    t = landing ? tEnd : t + hStep;
                    System.arraycopy(next, 0, x, 0, len);
                    float[] fsal = k[0];
                    k[0] = k[6];
                    k[6] = fsal;
                    accepted++;
                    if (accepted == stepTimes.length) {
                        stepTimes = java.util.Arrays.copyOf(stepTimes, 2 * accepted);
                    }
                    stepTimes[accepted] = t;
                    if (recorder.wantsFrame(accepted)) {
                        recorder.addFrame(accepted, t, x);
                    }
                    handler.handleStep(new OdeStepHandler.AcceptedStep(accepted - 1, tBefore, t, n, x, nfe,
                            handlerStages ? 6 : 0, handlerStageTimes, handlerStagePoints));
                    monitor.onStep(accepted, -1, t);
                    // a landing step may have been shortened to hit the grid time; do not let its
                    // small error inflate the step size beyond what the free steps had earned
                    h = landing ? direction * Math.max(Math.abs(h) * Math.min(1.0, factor), Math.abs(hStep) * factor) : hStep * factor;
                    lastRejected = false;
                } else {
                    if (keepStages) {
                        recorder.discardStages();
                    }
                    rejected++;
                    double factor = Double.isNaN(err) ? MIN_FACTOR : Math.max(MIN_FACTOR, SAFETY * Math.pow(err, -0.2));
                    h = hStep * factor;
                    lastRejected = true;
                    if (Math.abs(h) < 1e-12 * Math.max(1.0, Math.abs(t))) {
                        throw new IllegalStateException(name + ": step size underflow at t=" + t
                                + "; the velocity field is non-finite or too stiff there");
                    }
                }
            }
        }
        OdeChecks.checkFinite(x, n, name, accepted, t);
        Trajectory trajectory = recorder.finish(accepted, grid.end(), x);
        return new OdeResult(name, n, x, java.util.Arrays.copyOf(stepTimes, accepted + 1), nfe, rejected, trajectory);
    }

    @Override
    public StepResult step(VelocityField field, float[] x, int n, double t, double h) {
        OdeChecks.checkBatch(field, x, n);
        OdeChecks.checkStep(t, h);
        int len = 2 * n;
        float[][] k = new float[7][len];
        float[] stage = new float[len];
        float[] next = new float[len];
        float[] coef = new float[7];
        field.velocity(x, n, (float) t, k[0]);
        float[] points = new float[6 * len];
        float[] velocities = new float[6 * len];
        double[] times = new double[6];
        StageSink sink = (q, stageTime, point) -> {
            times[q] = stageTime;
            System.arraycopy(point, 0, points, q * len, len);
        };
        sink.accept(0, t, x);
        double err = attempt(field, x, n, t, h, k, stage, next, coef, sink);
        for (int q = 0; q < 6; q++) {
            System.arraycopy(k[q], 0, velocities, q * len, len);
        }
        return new StepResult(name(), t, h, n, next, times, points, velocities, 7, err);
    }

    /** Receives the stage points of one attempt. */
    @FunctionalInterface
    private interface StageSink {
        void accept(int stage, double t, float[] point);
    }

    /**
     * Stages 2..7 from k[0] = v(x, t); writes the fifth-order solution to {@code next} and k[6] =
     * v(next, t + h); returns the scaled error norm (NaN when non-finite).
     */
    private double attempt(VelocityField field, float[] x, int n, double t, double h, float[][] k, float[] stage,
                           float[] next, float[] coef, StageSink sink) {
        int len = 2 * n;
        for (int q = 1; q < 7; q++) {
            for (int r = 0; r < q; r++) {
                coef[r] = (float) (h * A[q][r]);
            }
            float[] out = q == 6 ? next : stage;
            for (int j = 0; j < len; j++) {
                float acc = 0f;
                for (int r = 0; r < q; r++) {
                    acc += coef[r] * k[r][j];
                }
                out[j] = x[j] + acc;
            }
            double stageTime = t + C[q] * h;
            if (q < 6 && sink != null) {
                sink.accept(q, stageTime, out);
            }
            field.velocity(out, n, (float) (q == 6 ? t + h : stageTime), k[q]);
        }
        double sum = 0;
        for (int j = 0; j < len; j++) {
            double e = 0;
            for (int r = 0; r < 7; r++) {
                e += E[r] * k[r][j];
            }
            e *= h;
            double scale = atol + rtol * Math.max(Math.abs(x[j]), Math.abs(next[j]));
            double ratio = e / scale;
            sum += ratio * ratio;
        }
        double err = Math.sqrt(sum / len);
        return Double.isFinite(err) ? err : Double.NaN;
    }

    /** Hairer's starting step size (Solving ODEs I, II.4); uses one velocity evaluation. */
    private double initialStep(VelocityField field, float[] x, float[] v0, int n, double t, double span, float[] probe, float[] v1) {
        int len = 2 * n;
        double d0 = 0;
        double d1 = 0;
        for (int j = 0; j < len; j++) {
            double scale = atol + rtol * Math.abs(x[j]);
            d0 += (x[j] / scale) * (x[j] / scale);
            d1 += (v0[j] / scale) * (v0[j] / scale);
        }
        d0 = Math.sqrt(d0 / len);
        d1 = Math.sqrt(d1 / len);
        double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
        h0 = Math.min(h0, Math.abs(span));
        double direction = Math.signum(span);
        for (int j = 0; j < len; j++) {
            probe[j] = (float) (x[j] + direction * h0 * v0[j]);
        }
        field.velocity(probe, n, (float) (t + direction * h0), v1);
        double d2 = 0;
        for (int j = 0; j < len; j++) {
            double scale = atol + rtol * Math.abs(x[j]);
            double diff = (v1[j] - v0[j]) / scale;
            d2 += diff * diff;
        }
        d2 = Math.sqrt(d2 / len) / h0;
        double h1 = Math.max(d1, d2) <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / Math.max(d1, d2), 0.2);
        double h = Math.min(100 * h0, h1);
        if (!Double.isFinite(h) || h <= 0) {
            h = 1e-6;
        }
        return Math.min(h, Math.abs(span));
    }

    @Override
    public String toString() {
        return name();
    }
}
