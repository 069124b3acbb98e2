package org.flowbench.compute.lm;

import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.CheckpointFormatException;
import org.flowbench.compute.checkpoint.Safetensors;
import org.flowbench.compute.checkpoint.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training run in one safetensors file: the model's weights under their {@link LmLayout}
 * names and shapes, and the probes table as {@code probe.*} tensors with one row per recorded
 * step ({@code probe.step [R]}, {@code probe.loss [R]}, {@code probe.mean_square [R, L+1]},
 * {@code probe.variance}, {@code probe.max_abs}, {@code probe.fp16_over} likewise,
 * {@code probe.sublayer_norm [R, L, S]}, {@code probe.ffn_grad_norm [R, L, 2]},
 * {@code probe.group_grad_norm [R, G]}, {@code probe.update_ratio [R, G]},
 * {@code probe.attn_entropy [R, L, H]} unless FFN-only). The metadata holds the model
 * description ({@link LmConfig#describe()}), the groups, the training settings and the seed.
 */
public final class LmRunFile {

    /** The checkpoint kind of a run file. */
    public static final String KIND = "transformer-lm-run";
    static final String KEY_GROUPS = "probe_groups";
    static final String KEY_INIT_SEEDS = "init_seeds";

    /** What a run file holds. */
    public record Run(LmConfig config, float[] parameters, List<LmProbe> probes, Map<String, String> metadata) {
    }

    private LmRunFile() {
    }

    /** Writes a run atomically; {@code extra} metadata (training settings, data) is kept as given. */
    public static void write(Path file, LmConfig config, float[] parameters, List<LmProbe> probes, long seed,
                             Map<String, String> extra) throws IOException {
        LmLayout layout = new LmLayout(config);
        if (parameters.length != layout.total()) {
            throw new IllegalArgumentException("parameters have " + parameters.length + " floats, the model "
                    + layout.total());
        }
        List<Tensor> tensors = new ArrayList<>();
        for (LmLayout.Entry e : layout.entries()) {
            tensors.add(new Tensor(e.name(), e.shape(), Arrays.copyOfRange(parameters, e.offset(),
                    e.offset() + e.size())));
        }
        int r = probes.size();
        int l1 = config.layers() + 1;
        int layers = config.layers();
        List<String> groups = LmProbes.groups(layout);
        if (r > 0) {
            tensors.add(new Tensor("probe.step", new int[] {r}, flat(probes, p -> new double[] {p.step()})));
            tensors.add(new Tensor("probe.loss", new int[] {r}, flat(probes, p -> new double[] {p.loss()})));
            tensors.add(new Tensor("probe.seeds", new int[] {r}, flat(probes, p -> new double[] {p.seeds()})));
            tensors.add(new Tensor("probe.mean_square", new int[] {r, l1}, flat(probes, LmProbe::meanSquare)));
            tensors.add(new Tensor("probe.variance", new int[] {r, l1}, flat(probes, LmProbe::variance)));
            tensors.add(new Tensor("probe.max_abs", new int[] {r, l1}, flat(probes, LmProbe::maxAbs)));
            tensors.add(new Tensor("probe.fp16_over", new int[] {r, l1}, flat(probes, LmProbe::fp16Over)));
            tensors.add(new Tensor("probe.sublayer_norm", new int[] {r, layers, config.sublayersPerBlock()},
                    flat(probes, p -> concat(p.sublayerNorm()))));
            tensors.add(new Tensor("probe.ffn_grad_norm", new int[] {r, layers, 2},
                    flat(probes, p -> concat(p.ffnGradNorm()))));
            tensors.add(new Tensor("probe.group_grad_norm", new int[] {r, groups.size()},
                    flat(probes, LmProbe::groupGradNorm)));
            tensors.add(new Tensor("probe.update_ratio", new int[] {r, groups.size()},
                    flat(probes, LmProbe::updateRatio)));
            if (!config.ffnOnly()) {
                tensors.add(new Tensor("probe.attn_entropy", new int[] {r, layers, config.heads()},
                        flat(probes, p -> concat(p.attnEntropy()))));
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(Checkpoint.KEY_FORMAT, Checkpoint.FORMAT_FLOWBENCH);
        meta.put(Checkpoint.KEY_KIND, KIND);
        meta.put(Checkpoint.KEY_ARCHITECTURE, config.describe());
        meta.put(Checkpoint.KEY_SEED, Long.toString(seed));
        meta.put(KEY_GROUPS, String.join(",", groups));
        meta.putAll(extra);
        Safetensors.write(file, new Checkpoint(meta, tensors));
    }

    private static double[] concat(double[][] rows) {
        return Arrays.stream(rows).flatMapToDouble(Arrays::stream).toArray();
    }

    private static float[] flat(List<LmProbe> probes, java.util.function.Function<LmProbe, double[]> f) {
        List<double[]> rows = probes.stream().map(f).toList();
        int w = rows.get(0).length;
        float[] out = new float[rows.size() * w];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < w; j++) {
                out[i * w + j] = (float) rows.get(i)[j];
            }
        }
        return out;
    }

    /** Reads a run file; a file of another kind, a missing tensor or a wrong shape is one line naming it. */
    public static Run read(Path file) throws IOException {
        Checkpoint c = Safetensors.read(file).requireKind(KIND);
        LmConfig config;
        try {
            config = LmConfig.parse(c.require(Checkpoint.KEY_ARCHITECTURE));
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, e.getMessage());
        }
        LmLayout layout = new LmLayout(config);
        // Every tensor is checked against the description before the parameter array is made, so
        // its size is that of data the file really holds, not what its header claims.
        for (LmLayout.Entry e : layout.entries()) {
            c.tensor(e.name(), e.shape());
        }
        float[] params = new float[layout.total()];
        for (LmLayout.Entry e : layout.entries()) {
            System.arraycopy(c.tensor(e.name(), e.shape()).data(), 0, params, e.offset(), e.size());
        }
        List<String> groups = LmProbes.groups(layout);
        String stored = c.metadata().getOrDefault(KEY_GROUPS, "");
        if (!stored.equals(String.join(",", groups))) {
            throw new CheckpointFormatException(file, "probe groups '" + stored + "' do not match the model's");
        }
        List<LmProbe> probes = new ArrayList<>();
        Tensor steps = c.tensors().get("probe.step");
        if (steps != null) {
            int r = steps.size();
            int l1 = config.layers() + 1;
            int layers = config.layers();
            int g = groups.size();
            float[] loss = c.tensor("probe.loss", r).data();
            float[] seeds = c.tensor("probe.seeds", r).data();
            float[] ms = c.tensor("probe.mean_square", r, l1).data();
            float[] var = c.tensor("probe.variance", r, l1).data();
            float[] max = c.tensor("probe.max_abs", r, l1).data();
            float[] over = c.tensor("probe.fp16_over", r, l1).data();
            float[] sub = c.tensor("probe.sublayer_norm", r, layers, config.sublayersPerBlock()).data();
            float[] ffn = c.tensor("probe.ffn_grad_norm", r, layers, 2).data();
            float[] gn = c.tensor("probe.group_grad_norm", r, g).data();
            float[] ur = c.tensor("probe.update_ratio", r, g).data();
            float[] ent = config.ffnOnly() ? null : c.tensor("probe.attn_entropy", r, layers, config.heads()).data();
            for (int i = 0; i < r; i++) {
                probes.add(new LmProbe((int) steps.data()[i], loss[i], row(ms, i, l1), row(var, i, l1),
                        row(max, i, l1), row(over, i, l1), rows(sub, i, layers, config.sublayersPerBlock()),
                        rows(ffn, i, layers, 2), row(gn, i, g), row(ur, i, g),
                        ent == null ? new double[0][] : rows(ent, i, layers, config.heads()), groups,
                        (int) seeds[i]));
            }
        }
        return new Run(config, params, probes, c.metadata());
    }

    private static double[] row(float[] data, int i, int w) {
        double[] out = new double[w];
        for (int j = 0; j < w; j++) {
            out[j] = data[i * w + j];
        }
        return out;
    }

    private static double[][] rows(float[] data, int i, int a, int b) {
        double[][] out = new double[a][];
        for (int j = 0; j < a; j++) {
            out[j] = row(data, i * a + j, b);
        }
        return out;
    }
}
