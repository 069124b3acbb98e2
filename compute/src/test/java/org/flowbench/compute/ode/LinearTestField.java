package org.flowbench.compute.ode;

/** dx/dt = A x with A = [[-d, -w], [w, -d]]: a decaying rotation with exact solution e^{-d t} R(w t) x0. */
final class LinearTestField implements VelocityField {
    final double decay;
    final double omega;
    int calls;

    LinearTestField(double decay, double omega) {
        this.decay = decay;
        this.omega = omega;
    }

    @Override
    public void velocity(float[] x, int n, float t, float[] v) {
        calls++;
        float d = (float) decay;
        float w = (float) omega;
        for (int i = 0; i < n; i++) {
            float px = x[2 * i];
            float py = x[2 * i + 1];
            v[2 * i] = -d * px - w * py;
            v[2 * i + 1] = w * px - d * py;
        }
    }

    /** x(t1) from x(t0). */
    double[] exact(float[] x0, int n, double t0, double t1) {
        double dt = t1 - t0;
        double g = Math.exp(-decay * dt);
        double c = Math.cos(omega * dt);
        double s = Math.sin(omega * dt);
        double[] out = new double[2 * n];
        for (int i = 0; i < n; i++) {
            out[2 * i] = g * (c * x0[2 * i] - s * x0[2 * i + 1]);
            out[2 * i + 1] = g * (s * x0[2 * i] + c * x0[2 * i + 1]);
        }
        return out;
    }

    static double maxError(float[] x, double[] exact) {
        double e = 0;
        for (int k = 0; k < exact.length; k++) {
            e = Math.max(e, Math.abs(x[k] - exact[k]));
        }
        return e;
    }
}
