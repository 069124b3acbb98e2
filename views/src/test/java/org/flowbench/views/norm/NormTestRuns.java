package org.flowbench.views.norm;

import org.flowbench.compute.lm.LmConfig;
import org.flowbench.compute.lm.LmProbe;
import org.flowbench.compute.lm.Placement;

import java.util.ArrayList;
import java.util.List;

/** Runs with probes of known values, for figure tests. */
final class NormTestRuns {

    private NormTestRuns() {
    }

    /** A probe whose every per-layer quantity is {@code value(l)} (l = 0..L), blocks {@code value(l)} at block l. */
    static LmProbe probe(LmConfig c, int step, double loss, java.util.function.IntToDoubleFunction value) {
        int layers = c.layers();
        double[] stream = new double[layers + 1];
        for (int l = 0; l <= layers; l++) {
            stream[l] = value.applyAsDouble(l);
        }
        double[][] sub = new double[layers][c.sublayersPerBlock()];
        double[][] ffn = new double[layers][2];
        double[][] ent = new double[layers][c.heads()];
        for (int l = 0; l < layers; l++) {
            java.util.Arrays.fill(sub[l], value.applyAsDouble(l + 1));
            java.util.Arrays.fill(ffn[l], 1);
            java.util.Arrays.fill(ent[l], 0.5 + 0.1 * l);
        }
        List<String> groups = new ArrayList<>();
        double[] gn = new double[layers];
        double[] ur = new double[layers];
        for (int l = 1; l <= layers; l++) {
            groups.add(l + ":mlp");
            gn[l - 1] = value.applyAsDouble(l);
            ur[l - 1] = 1e-3 * l;
        }
        return new LmProbe(step, loss, stream.clone(), stream.clone(), stream.clone(), new double[layers + 1], sub, ffn,
                gn, ur, ent, groups, 1);
    }

    /** A run whose variance at layer l and step s is 10^(l/4 - 1) * (1 + s/100), probed every 10 steps to {@code steps}. */
    static DepthRun run(Placement p, int layers, int steps) {
        LmConfig c = LmConfig.of(11, 17, 16, 2, layers, p);
        List<LmProbe> probes = new ArrayList<>();
        for (int s = 0; s <= steps; s += 10) {
            int step = s;
            probes.add(probe(c, s, 2.3 * Math.exp(-s / 300.0), l -> Math.pow(10, l / 4.0 - 1) * (1 + step / 100.0)));
        }
        return new DepthRun(DepthRun.placementName(c), c, probes, null, "reverse of length 8", -1, -1, null, steps);
    }
}
