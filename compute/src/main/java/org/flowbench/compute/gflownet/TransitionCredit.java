package org.flowbench.compute.gflownet;

import java.util.List;

/**
 * How an objective assigns credit along one trajectory: the residual each transition sees and
 * the gradient the network's outputs at each transition's state receive. Transition t leads from
 * state t to state t+1; the exit of a complete trajectory is the last transition.
 * <ul>
 *   <li>TB: one residual for the whole trajectory, the same at every transition.</li>
 *   <li>DB and FL-DB: the transition's own balance residual (FL-DB adds the transition's energy).</li>
 *   <li>SubTB: the lambda-weighted mean of the residuals of the sub-trajectories that contain
 *       the transition.</li>
 * </ul>
 * The gradient of transition t is the gradient of the objective on this one trajectory with
 * respect to the outputs at state t (its logits and log flow), exactly as {@link Objective}
 * computes it for training; its L2 norm is what the network's parameters receive through that
 * state. FM has no per-transition residual and is refused. Immutable result.
 *
 * @param residuals     {@code [transitions]}
 * @param gradientNorms {@code [transitions]}, L2 norm of the gradient row of each transition's state
 * @param gradients     {@code [transitions*(actions+1)]}, the gradient rows themselves
 * @param loss          the objective on this trajectory alone
 */
public record TransitionCredit(Objective objective, int transitions, double[] residuals, double[] gradientNorms,
                               double[] gradients, double loss) {

    /** Credit with the network's outputs for every state of {@code trajectory}. */
    public static TransitionCredit of(GfnEnvironment env, Trajectory trajectory, Objective objective, PolicyNetwork network,
                                      double logZ) {
        TrajectoryBatch batch = TrajectoryBatch.of(env, List.of(trajectory), false);
        int w = env.actionCount() + 1;
        int rows = batch.stateRows();
        float[] outF = new float[rows * w];
        network.evaluate(batch.encodings(), rows, outF);
        double[] out = new double[rows * w];
        for (int i = 0; i < out.length; i++) {
            out[i] = outF[i];
        }
        return of(env, trajectory, objective, out, logZ);
    }

    /**
     * Credit given the outputs {@code out // [states*(actions+1)]} (logits then log flow, one row
     * per state of the trajectory) and log Z.
     */
    public static TransitionCredit of(GfnEnvironment env, Trajectory trajectory, Objective objective, double[] out,
                                      double logZ) {
        if (objective.kind() == Objective.Kind.FM) {
            throw new IllegalArgumentException("flow matching balances states, not transitions; no per-transition credit");
        }
        if (!trajectory.isComplete() && !objective.acceptsIncomplete()) {
            throw new IllegalArgumentException(objective.spec() + " needs the reward at the end of a complete trajectory");
        }
        TrajectoryBatch batch = TrajectoryBatch.of(env, List.of(trajectory), false);
        int a = env.actionCount();
        int w = a + 1;
        int rows = batch.stateRows();
        if (out.length != rows * w) {
            throw new IllegalArgumentException("outputs hold " + out.length + " values, the trajectory needs " + rows * w);
        }
        int transitions = trajectory.moves() + (trajectory.isComplete() ? 1 : 0);
        double[] logPF = new double[rows];
        double[] logp = new double[a];
        for (int r = 0; r < transitions; r++) {
            LogSpace.logSoftmax(out, r * w, batch.masks(), r * a, a, 1.0, logp);
            logPF[r] = logp[batch.action(r)];
        }
        double[] residuals = new double[transitions];
        switch (objective.kind()) {
            case TB -> {
                double delta = logZ - batch.logReward(0);
                for (int r = 0; r < rows; r++) {
                    delta += logPF[r] - (r > 0 ? batch.logBackward(r) : 0);
                }
                java.util.Arrays.fill(residuals, delta);
            }
            case DB, FLDB -> {
                boolean fl = objective.kind() == Objective.Kind.FLDB;
                for (int t = 0; t < transitions; t++) {
                    double delta;
                    if (t < rows - 1) {
                        delta = out[t * w + a] + logPF[t] - out[(t + 1) * w + a] - batch.logBackward(t + 1);
                        if (fl) {
                            delta += batch.energy(t + 1) - batch.energy(t);
                        }
                    } else {
                        delta = out[t * w + a] + logPF[t] - batch.logReward(0) - (fl ? batch.energy(t) : 0);
                    }
                    residuals[t] = delta;
                }
            }
            case SUBTB -> subTrajectoryResiduals(batch, out, w, logPF, objective.lambda(), residuals);
            default -> throw new IllegalStateException();
        }
        double[] dOut = new double[rows * w];
        double[] dLogZ = new double[1];
        double loss = objective.evaluate(batch, out, logZ, dOut, dLogZ);
        double[] norms = new double[transitions];
        double[] gradients = new double[transitions * w];
        for (int t = 0; t < transitions; t++) {
            double sum = 0;
            for (int j = 0; j < w; j++) {
                sum += dOut[t * w + j] * dOut[t * w + j];
            }
            norms[t] = Math.sqrt(sum);
            System.arraycopy(dOut, t * w, gradients, t * w, w);
        }
        return new TransitionCredit(objective, transitions, residuals, norms, gradients, loss);
    }

    /** Positions 0..n are the states, n+1 the sink whose log flow is log R(x). */
    private static void subTrajectoryResiduals(TrajectoryBatch batch, double[] out, int w, double[] logPF, double lambda,
                                               double[] residuals) {
        int n = batch.stateRows() - 1;
        int positions = n + 2;
        double[] logF = new double[positions];
        double[] prefix = new double[positions];
        for (int i = 0; i <= n; i++) {
            logF[i] = out[i * w + w - 1];
        }
        logF[n + 1] = batch.logReward(0);
        for (int i = 1; i < positions; i++) {
            prefix[i] = prefix[i - 1] + logPF[i - 1] - (i <= n ? batch.logBackward(i) : 0);
        }
        double[] weighted = new double[positions - 1];
        double[] weights = new double[positions - 1];
        for (int i = 0; i < positions; i++) {
            for (int j = i + 1; j < positions; j++) {
                double weight = Math.pow(lambda, j - i);
                double delta = logF[i] + prefix[j] - prefix[i] - logF[j];
                for (int t = i; t < j; t++) {
                    weighted[t] += weight * delta;
                    weights[t] += weight;
                }
            }
        }
        for (int t = 0; t < residuals.length; t++) {
            residuals[t] = weighted[t] / weights[t];
        }
    }
}
