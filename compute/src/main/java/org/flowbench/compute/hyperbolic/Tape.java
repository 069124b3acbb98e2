package org.flowbench.compute.hyperbolic;

import java.util.Arrays;

/**
 * Reverse-mode differentiation over scalars for the hyperbolic layers: every operation records
 * its value and its local derivatives with respect to at most two inputs, so one backward sweep
 * gives the gradient of any output with respect to every recorded node. Nodes are int handles.
 * Small and plain by design: it serves layers on batches of a few hundred low-dimensional
 * points. Not thread-safe.
 */
public final class Tape {

    private double[] value = new double[1024];
    private int[] left = new int[1024];
    private int[] right = new int[1024];
    private double[] dLeft = new double[1024];
    private double[] dRight = new double[1024];
    private int size;

    private int push(double v, int a, double da, int b, double db) {
        if (size == value.length) {
            int n = size * 2;
            value = Arrays.copyOf(value, n);
            left = Arrays.copyOf(left, n);
            right = Arrays.copyOf(right, n);
            dLeft = Arrays.copyOf(dLeft, n);
            dRight = Arrays.copyOf(dRight, n);
        }
        value[size] = v;
        left[size] = a;
        dLeft[size] = da;
        right[size] = b;
        dRight[size] = db;
        return size++;
    }

    /** An input or a constant (the two differ only in whether the caller reads its gradient). */
    public int leaf(double v) {
        return push(v, -1, 0, -1, 0);
    }

    public int[] leaves(double[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = leaf(v[i]);
        }
        return out;
    }

    public double value(int node) {
        return value[node];
    }

    public double[] values(int[] nodes) {
        double[] out = new double[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            out[i] = value[nodes[i]];
        }
        return out;
    }

    public int size() {
        return size;
    }

    public int add(int x, int y) {
        return push(value[x] + value[y], x, 1, y, 1);
    }

    public int sub(int x, int y) {
        return push(value[x] - value[y], x, 1, y, -1);
    }

    public int mul(int x, int y) {
        return push(value[x] * value[y], x, value[y], y, value[x]);
    }

    public int div(int x, int y) {
        double vy = value[y];
        return push(value[x] / vy, x, 1 / vy, y, -value[x] / (vy * vy));
    }

    public int scale(int x, double c) {
        return push(value[x] * c, x, c, -1, 0);
    }

    public int plus(int x, double c) {
        return push(value[x] + c, x, 1, -1, 0);
    }

    /** c - x. */
    public int rsub(double c, int x) {
        return push(c - value[x], x, -1, -1, 0);
    }

    public int max(int x, double floor) {
        return value[x] >= floor ? push(value[x], x, 1, -1, 0) : push(floor, x, 0, -1, 0);
    }

    public int min(int x, double ceiling) {
        return value[x] <= ceiling ? push(value[x], x, 1, -1, 0) : push(ceiling, x, 0, -1, 0);
    }

    /** Square root; its derivative at 0 is taken as 0 so that the norm of a zero vector does not poison the gradient. */
    public int sqrt(int x) {
        double s = Math.sqrt(Math.max(value[x], 0));
        return push(s, x, s > 0 ? 0.5 / s : 0, -1, 0);
    }

    public int log(int x) {
        return push(Math.log(value[x]), x, 1 / value[x], -1, 0);
    }

    public int exp(int x) {
        double e = Math.exp(value[x]);
        return push(e, x, e, -1, 0);
    }

    public int tanh(int x) {
        double t = Math.tanh(value[x]);
        return push(t, x, 1 - t * t, -1, 0);
    }

    /** artanh with its argument clamped to (-1 + 1e-15, 1 - 1e-15), as the ball's own artanh. */
    public int artanh(int x) {
        double v = value[x];
        double clamped = Math.max(-1 + 1e-15, Math.min(1 - 1e-15, v));
        double d = clamped == v ? 1 / (1 - v * v) : 0;
        return push(PoincareBall.artanh(v), x, d, -1, 0);
    }

    public int sinh(int x) {
        return push(Math.sinh(value[x]), x, Math.cosh(value[x]), -1, 0);
    }

    public int cosh(int x) {
        return push(Math.cosh(value[x]), x, Math.sinh(value[x]), -1, 0);
    }

    public int asinh(int x) {
        double v = value[x];
        double a = Math.abs(v);
        double r = Math.log(a + Math.sqrt(a * a + 1));
        return push(v < 0 ? -r : r, x, 1 / Math.sqrt(1 + v * v), -1, 0);
    }

    /**
     * Gradients of sum_i seeds[i] * outputs[i] with respect to every node.
     *
     * @return [size()] gradient per node
     */
    public double[] backward(int[] outputs, double[] seeds) {
        double[] g = new double[size];
        for (int i = 0; i < outputs.length; i++) {
            g[outputs[i]] += seeds[i];
        }
        for (int n = size - 1; n >= 0; n--) {
            double gn = g[n];
            if (gn == 0) {
                continue;
            }
            if (left[n] >= 0) {
                g[left[n]] += gn * dLeft[n];
            }
            if (right[n] >= 0) {
                g[right[n]] += gn * dRight[n];
            }
        }
        return g;
    }

    // ---- vectors of nodes ----

    public int dot(int[] a, int[] b) {
        int s = mul(a[0], b[0]);
        for (int i = 1; i < a.length; i++) {
            s = add(s, mul(a[i], b[i]));
        }
        return s;
    }

    public int[] scale(int[] v, int s) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = mul(v[i], s);
        }
        return out;
    }

    public int[] scale(int[] v, double s) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = scale(v[i], s);
        }
        return out;
    }

    public int[] add(int[] a, int[] b) {
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = add(a[i], b[i]);
        }
        return out;
    }
}
