package org.flowbench.compute.gflownet;

import org.flowbench.compute.io.MessageText;

import java.util.Arrays;
import java.util.Locale;

/**
 * The GFlowNet training objectives, each a squared log-ratio over a batch of trajectories, with
 * its gradient with respect to the network outputs (logits and log flow per row) and to log Z
 * written by hand. Notation for trajectory s0 -> ... -> s_n -> exit with terminal state x:
 * <ul>
 *   <li>{@code tb}, trajectory balance (Malkin et al. 2022): per trajectory
 *       {@code (log Z + sum_t log P_F(a_t|s_t) - log R(x) - sum_t log P_B(s_{t-1}|s_t))^2}, the
 *       exit included; mean over trajectories.</li>
 *   <li>{@code db}, detailed balance (Bengio et al. 2023): per move
 *       {@code (log F(s) + log P_F(s'|s) - log F(s') - log P_B(s|s'))^2}, per exit
 *       {@code (log F(x) + log P_F(exit|x) - log R(x))^2}; mean over transitions.</li>
 *   <li>{@code subtb:lambda}, sub-trajectory balance (Madan et al. 2023): every sub-trajectory
 *       s_i..s_j of the trajectory extended by the sink, whose flow is R(x), weighted
 *       lambda^(j-i) and normalised per trajectory; mean over trajectories.</li>
 *   <li>{@code fldb}, forward-looking detailed balance (Pan et al. 2023): the flow head gives
 *       log F~(s) with F(s) = F~(s) e^{-E(s)}; per move
 *       {@code (log F~(s) + log P_F(s'|s) - log F~(s') - log P_B(s|s') + E(s') - E(s))^2}, per exit
 *       {@code (log F~(x) - E(x) + log P_F(exit|x) - log R(x))^2}. Local, so incomplete
 *       trajectories (no exit, no reward) train it too.</li>
 *   <li>{@code fm}, flow matching (Bengio et al. 2021): the logits are log edge flows; per
 *       non-initial state {@code (log sum_parents F(p -> s) - log sum_allowed F(s -> .))^2}, mean
 *       over those states, plus per terminal state {@code (log F(x -> exit) - log R(x))^2}, mean
 *       over trajectories.</li>
 * </ul>
 * The backward policy is the uniform one over parents. Immutable.
 */
public final class Objective {

    public enum Kind { TB, DB, SUBTB, FLDB, FM }

    public static final double DEFAULT_LAMBDA = 0.9;

    private final Kind kind;
    private final double lambda;

    private Objective(Kind kind, double lambda) {
        this.kind = kind;
        this.lambda = lambda;
    }

    public static final Objective TB = new Objective(Kind.TB, Double.NaN);
    public static final Objective DB = new Objective(Kind.DB, Double.NaN);
    public static final Objective FLDB = new Objective(Kind.FLDB, Double.NaN);
    public static final Objective FM = new Objective(Kind.FM, Double.NaN);

    public static Objective subTrajectory(double lambda) {
        if (!(lambda > 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("sub-trajectory balance lambda must be positive and finite, got " + lambda);
        }
        return new Objective(Kind.SUBTB, lambda);
    }

    /** {@code tb}, {@code db}, {@code subtb[:lambda]}, {@code fldb} or {@code fm}, case-insensitive. */
    public static Objective parse(String spec) {
        String s = spec == null ? "" : spec.strip().toLowerCase(Locale.ROOT);
        switch (s) {
            case "tb" -> {
                return TB;
            }
            case "db" -> {
                return DB;
            }
            case "fldb", "fl-db" -> {
                return FLDB;
            }
            case "fm" -> {
                return FM;
            }
            case "subtb" -> {
                return subTrajectory(DEFAULT_LAMBDA);
            }
            default -> {
                if (s.startsWith("subtb:")) {
                    try {
                        return subTrajectory(Double.parseDouble(s.substring(6)));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("loss '" + MessageText.abbreviate(spec) + "': lambda is not a number");
                    }
                }
                throw new IllegalArgumentException("unknown loss '" + MessageText.abbreviate(s)
                        + "' (expected tb, db, subtb:LAMBDA, fldb or fm)");
            }
        }
    }

    public Kind kind() {
        return kind;
    }

    public double lambda() {
        return lambda;
    }

    public String spec() {
        return kind == Kind.SUBTB ? "subtb:" + Environments.number(lambda) : kind.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return spec();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Objective other && other.spec().equals(spec());
    }

    @Override
    public int hashCode() {
        return spec().hashCode();
    }

    /** Whether the batch needs the parents of every state (flow matching). */
    public boolean needsParents() {
        return kind == Kind.FM;
    }

    /** Whether the objective learns from trajectories cut before their end. */
    public boolean acceptsIncomplete() {
        return kind == Kind.DB || kind == Kind.FLDB;
    }

    /** Whether log Z is a parameter of this objective (only trajectory balance uses it). */
    public boolean usesLogZ() {
        return kind == Kind.TB;
    }

    /**
     * The model's estimate of log Z: the log Z parameter for TB; otherwise the flow at s0 that the
     * outputs of the initial state ({@code out0 // [actions+1]}) give.
     */
    public double estimateLogZ(GfnEnvironment env, double[] out0, double logZ) {
        int a = env.actionCount();
        return switch (kind) {
            case TB -> logZ;
            case DB, SUBTB -> out0[a];
            case FLDB -> out0[a] - env.energy(env.initialState());
            case FM -> {
                boolean[] mask = new boolean[a];
                env.forwardMask(env.initialState(), mask);
                double sum = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < a; j++) {
                    if (mask[j]) {
                        sum = LogSpace.add(sum, out0[j]);
                    }
                }
                yield sum;
            }
        };
    }

    /**
     * The batch loss; writes its gradient with respect to {@code out} into {@code dOut} (both
     * {@code [totalRows*(actions+1)]}, dOut overwritten) and with respect to log Z into
     * {@code dLogZ[0]}.
     */
    public double evaluate(TrajectoryBatch batch, double[] out, double logZ, double[] dOut, double[] dLogZ) {
        GfnEnvironment env = batch.environment();
        int a = env.actionCount();
        int w = a + 1;
        int total = batch.totalRows();
        if (out.length < total * w || dOut.length < total * w) {
            throw new IllegalArgumentException("outputs hold " + out.length + " values, the batch needs " + total * w);
        }
        if (!acceptsIncomplete()) {
            for (int k = 0; k < batch.count(); k++) {
                if (!batch.isComplete(k)) {
                    throw new IllegalArgumentException(spec() + " needs complete trajectories; only db and fldb learn from incomplete ones");
                }
            }
        }
        if (needsParents() && !batch.hasParents()) {
            throw new IllegalArgumentException("flow matching needs a batch built with parents");
        }
        Arrays.fill(dOut, 0, total * w, 0);
        dLogZ[0] = 0;
        if (kind == Kind.FM) {
            return flowMatching(batch, out, dOut);
        }
        int rows = batch.stateRows();
        double[] probs = new double[rows * a];
        double[] logPF = new double[rows];
        double[] gPF = new double[rows];
        double[] logp = new double[a];
        boolean[] masks = batch.masks();
        for (int r = 0; r < rows; r++) {
            int act = batch.action(r);
            if (act < 0) {
                continue;
            }
            LogSpace.logSoftmax(out, r * w, masks, r * a, a, 1.0, logp);
            for (int j = 0; j < a; j++) {
                probs[r * a + j] = Math.exp(logp[j]);
            }
            logPF[r] = logp[act];
        }
        double loss = switch (kind) {
            case TB -> trajectoryBalance(batch, logPF, logZ, gPF, dLogZ);
            case DB -> detailedBalance(batch, out, w, logPF, gPF, dOut, false);
            case FLDB -> detailedBalance(batch, out, w, logPF, gPF, dOut, true);
            case SUBTB -> subTrajectoryBalance(batch, out, w, logPF, gPF, dOut);
            default -> throw new IllegalStateException();
        };
        // d log P_F(a|s) / d logit_j = [j = a] - p_j over the allowed j.
        for (int r = 0; r < rows; r++) {
            double g = gPF[r];
            int act = batch.action(r);
            if (g == 0 || act < 0) {
                continue;
            }
            for (int j = 0; j < a; j++) {
                if (masks[r * a + j]) {
                    dOut[r * w + j] += g * ((j == act ? 1 : 0) - probs[r * a + j]);
                }
            }
        }
        return loss;
    }

    private static double trajectoryBalance(TrajectoryBatch batch, double[] logPF, double logZ, double[] gPF, double[] dLogZ) {
        int k = batch.count();
        double loss = 0;
        for (int t = 0; t < k; t++) {
            int start = batch.offset(t);
            int end = batch.offset(t + 1);
            double delta = logZ - batch.logReward(t);
            for (int r = start; r < end; r++) {
                delta += logPF[r];
                if (r > start) {
                    delta -= batch.logBackward(r);
                }
            }
            loss += delta * delta / k;
            double g = 2 * delta / k;
            for (int r = start; r < end; r++) {
                gPF[r] += g;
            }
            dLogZ[0] += g;
        }
        return loss;
    }

    private static double detailedBalance(TrajectoryBatch batch, double[] out, int w, double[] logPF, double[] gPF,
                                          double[] dOut, boolean forwardLooking) {
        int flow = w - 1;
        int transitions = 0;
        for (int t = 0; t < batch.count(); t++) {
            transitions += batch.offset(t + 1) - batch.offset(t) - 1 + (batch.isComplete(t) ? 1 : 0);
        }
        if (transitions == 0) {
            return 0;
        }
        double loss = 0;
        for (int t = 0; t < batch.count(); t++) {
            int start = batch.offset(t);
            int last = batch.offset(t + 1) - 1;
            for (int r = start; r < last; r++) {
                double delta = out[r * w + flow] + logPF[r] - out[(r + 1) * w + flow] - batch.logBackward(r + 1);
                if (forwardLooking) {
                    delta += batch.energy(r + 1) - batch.energy(r);
                }
                loss += delta * delta / transitions;
                double g = 2 * delta / transitions;
                dOut[r * w + flow] += g;
                gPF[r] += g;
                dOut[(r + 1) * w + flow] -= g;
            }
            if (batch.isComplete(t)) {
                double delta = out[last * w + flow] + logPF[last] - batch.logReward(t);
                if (forwardLooking) {
                    delta -= batch.energy(last);
                }
                loss += delta * delta / transitions;
                double g = 2 * delta / transitions;
                dOut[last * w + flow] += g;
                gPF[last] += g;
            }
        }
        return loss;
    }

    private double subTrajectoryBalance(TrajectoryBatch batch, double[] out, int w, double[] logPF, double[] gPF,
                                        double[] dOut) {
        int flow = w - 1;
        int k = batch.count();
        double loss = 0;
        for (int t = 0; t < k; t++) {
            int start = batch.offset(t);
            int n = batch.offset(t + 1) - start - 1; // moves; positions 0..n are states, n+1 the sink
            int positions = n + 2;
            double[] logF = new double[positions];
            double[] prefix = new double[positions]; // prefix[i] = sum_{u<i} log P_F - sum_{1<=u<=min(i,n)} log P_B
            for (int i = 0; i <= n; i++) {
                logF[i] = out[(start + i) * w + flow];
            }
            logF[n + 1] = batch.logReward(t);
            for (int i = 1; i < positions; i++) {
                prefix[i] = prefix[i - 1] + logPF[start + i - 1] - (i <= n ? batch.logBackward(start + i) : 0);
            }
            double weightSum = 0;
            for (int i = 0; i < positions; i++) {
                for (int j = i + 1; j < positions; j++) {
                    weightSum += Math.pow(lambda, j - i);
                }
            }
            double[] pfDiff = new double[positions + 1]; // difference array over move indices
            for (int i = 0; i < positions; i++) {
                for (int j = i + 1; j < positions; j++) {
                    double weight = Math.pow(lambda, j - i) / weightSum;
                    double delta = logF[i] + prefix[j] - prefix[i] - logF[j];
                    loss += weight * delta * delta / k;
                    double g = 2 * weight * delta / k;
                    dOut[(start + i) * w + flow] += g;
                    if (j <= n) {
                        dOut[(start + j) * w + flow] -= g;
                    }
                    pfDiff[i] += g;
                    pfDiff[j] -= g;
                }
            }
            double running = 0;
            for (int u = 0; u <= n; u++) {
                running += pfDiff[u];
                gPF[start + u] += running;
            }
        }
        return loss;
    }

    private static double flowMatching(TrajectoryBatch batch, double[] out, double[] dOut) {
        GfnEnvironment env = batch.environment();
        int a = env.actionCount();
        int w = a + 1;
        boolean[] masks = batch.masks();
        int states = 0;
        for (int t = 0; t < batch.count(); t++) {
            states += batch.offset(t + 1) - batch.offset(t) - 1;
        }
        int k = batch.count();
        double loss = 0;
        double[] weights = new double[a];
        for (int t = 0; t < k; t++) {
            int start = batch.offset(t);
            int last = batch.offset(t + 1) - 1;
            for (int r = start + 1; r <= last; r++) {
                int p0 = batch.parentStart(r);
                int p1 = batch.parentStart(r + 1);
                double in = Double.NEGATIVE_INFINITY;
                for (int e = p0; e < p1; e++) {
                    in = LogSpace.add(in, out[batch.parentRow(e) * w + batch.parentAction(e)]);
                }
                double outflow = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < a; j++) {
                    if (masks[r * a + j]) {
                        outflow = LogSpace.add(outflow, out[r * w + j]);
                    }
                }
                double delta = in - outflow;
                loss += delta * delta / states;
                double g = 2 * delta / states;
                for (int e = p0; e < p1; e++) {
                    int pr = batch.parentRow(e);
                    int pa = batch.parentAction(e);
                    dOut[pr * w + pa] += g * Math.exp(out[pr * w + pa] - in);
                }
                for (int j = 0; j < a; j++) {
                    weights[j] = masks[r * a + j] ? Math.exp(out[r * w + j] - outflow) : 0;
                    dOut[r * w + j] -= g * weights[j];
                }
            }
            double delta = out[last * w + env.exitAction()] - batch.logReward(t);
            loss += delta * delta / k;
            dOut[last * w + env.exitAction()] += 2 * delta / k;
        }
        return loss;
    }
}
