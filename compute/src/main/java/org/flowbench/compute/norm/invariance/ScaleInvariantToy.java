package org.flowbench.compute.norm.invariance;

import org.flowbench.compute.data.SeededRandom;

import java.util.ArrayList;
import java.util.List;

/**
 * A weight {@code w} in the plane followed by a normalization: the loss sees only its direction,
 * {@code L(w) = 1 - cos(angle(w) - target) + noise}, so {@code L(c w) = L(w)} for every c > 0.
 * Its gradient {@code g = -(I - u u^T) u* / ||w||} (u = w / ||w||, u* the target direction) is
 * orthogonal to w and shrinks as 1 / ||w||: the angle moves by about {@code lr / ||w||^2} per
 * unit of gradient, the effective step of Heo et al. A seeded tangential noise of relative size
 * {@code noise} stands for the minibatch gradient noise; it keeps the gradient orthogonal to w.
 */
public final class ScaleInvariantToy {

    /** Most steps one run may take. */
    public static final int MAX_STEPS = 100_000;

    /**
     * @param lr               learning rate, in (0, 10]
     * @param steps            optimizer steps, 1..{@link #MAX_STEPS}
     * @param momentum         momentum (beta1 for the Adam family), in [0, 1)
     * @param beta2            Adam's second-moment decay, in [0, 1)
     * @param weightDecay      decoupled weight decay, in [0, 1]
     * @param initialNorm      ||w_0||, in (0, 100]
     * @param initialAngleDeg  direction of w_0, degrees
     * @param targetAngleDeg   the direction of least loss, degrees
     * @param noise            tangential gradient noise relative to the gradient's scale 1/||w||, in [0, 10]
     */
    public record Settings(double lr, int steps, double momentum, double beta2, double weightDecay, double initialNorm,
                           double initialAngleDeg, double targetAngleDeg, double noise) {
        public Settings {
            check(lr > 0 && lr <= 10, "lr must be in (0, 10], got " + lr);
            check(steps >= 1 && steps <= MAX_STEPS, "steps must be between 1 and " + MAX_STEPS + ", got " + steps);
            check(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
            check(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got " + beta2);
            check(weightDecay >= 0 && weightDecay <= 1, "weight decay must be in [0, 1], got " + weightDecay);
            check(initialNorm > 0 && initialNorm <= 100, "initial norm must be in (0, 100], got " + initialNorm);
            check(Double.isFinite(initialAngleDeg), "initial angle must be finite, got " + initialAngleDeg);
            check(Double.isFinite(targetAngleDeg), "target angle must be finite, got " + targetAngleDeg);
            check(noise >= 0 && noise <= 10, "noise must be in [0, 10], got " + noise);
        }

        /** Heo et al.'s setting in spirit: momentum 0.9, no decay, w_0 of norm 1 at 135 degrees from the target. */
        public static Settings defaults() {
            return new Settings(0.1, 300, 0.9, 0.999, 0, 1, 135, 0, 0.5);
        }
    }

    /**
     * One optimizer's run: the weight after every step and what follows from it.
     *
     * @param path          {@code [(steps+1)*2]} w_0, w_1, ... in the plane
     * @param norm          {@code [steps+1]} ||w_t||
     * @param effectiveStep {@code [steps+1]} lr / ||w_t||^2
     * @param loss          {@code [steps+1]} 1 - cos(angle(w_t) - target), without noise
     * @param projected     {@code [steps]} whether step t + 1 removed the radial part
     */
    public record Run(InvarianceOptimizer optimizer, double[] path, double[] norm, double[] effectiveStep,
                      double[] loss, boolean[] projected) {

        public int steps() {
            return norm.length - 1;
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    private ScaleInvariantToy() {
    }

    /** The loss at w: 1 - cos(angle(w) - target). */
    public static double loss(double[] w, double targetAngle) {
        double r = Math.hypot(w[0], w[1]);
        return 1 - (w[0] * Math.cos(targetAngle) + w[1] * Math.sin(targetAngle)) / r;
    }

    /** The exact gradient of {@link #loss} at w: {@code -(I - u u^T) u* / ||w||}. */
    public static double[] gradient(double[] w, double targetAngle) {
        double r = Math.hypot(w[0], w[1]);
        double ux = w[0] / r;
        double uy = w[1] / r;
        double tx = Math.cos(targetAngle);
        double ty = Math.sin(targetAngle);
        double along = ux * tx + uy * ty;
        return new double[] {-(tx - along * ux) / r, -(ty - along * uy) / r};
    }

    /** Runs {@code optimizer} from the settings' w_0; the noise comes from {@code seed}. */
    public static Run run(InvarianceOptimizer optimizer, Settings s, long seed) {
        double target = Math.toRadians(s.targetAngleDeg());
        double a0 = Math.toRadians(s.initialAngleDeg());
        double[] w = {s.initialNorm() * Math.cos(a0), s.initialNorm() * Math.sin(a0)};
        InvarianceOptimizer.Stepper stepper = optimizer.stepper(2, s.momentum(), s.beta2(), s.weightDecay());
        SeededRandom random = new SeededRandom(seed);
        int n = s.steps();
        double[] path = new double[(n + 1) * 2];
        double[] norm = new double[n + 1];
        double[] effective = new double[n + 1];
        double[] loss = new double[n + 1];
        boolean[] projected = new boolean[n];
        record(w, 0, s.lr(), target, path, norm, effective, loss);
        for (int t = 0; t < n; t++) {
            double[] g = gradient(w, target);
            double r = Math.hypot(w[0], w[1]);
            // noise along the tangent (-u_y, u_x), of size noise / ||w||
            double z = s.noise() * random.nextGaussian() / r;
            g[0] += -w[1] / r * z;
            g[1] += w[0] / r * z;
            stepper.step(w, g, s.lr());
            projected[t] = stepper.lastProjected();
            record(w, t + 1, s.lr(), target, path, norm, effective, loss);
        }
        return new Run(optimizer, path, norm, effective, loss, projected);
    }

    /** One run per optimizer, each with the same noise. */
    public static List<Run> runAll(List<InvarianceOptimizer> optimizers, Settings s, long seed) {
        List<Run> runs = new ArrayList<>();
        for (InvarianceOptimizer o : optimizers) {
            runs.add(run(o, s, seed));
        }
        return runs;
    }

    private static void record(double[] w, int t, double lr, double target, double[] path, double[] norm,
                               double[] effective, double[] loss) {
        path[2 * t] = w[0];
        path[2 * t + 1] = w[1];
        double r = Math.hypot(w[0], w[1]);
        norm[t] = r;
        effective[t] = lr / (r * r);
        loss[t] = loss(w, target);
    }
}
