package org.flowbench.compute.lm;

import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.CheckpointFormatException;
import org.flowbench.compute.checkpoint.Safetensors;
import org.flowbench.compute.checkpoint.Tensor;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.io.MessageText;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training run in one safetensors file: the model's weights under their {@link LmLayout}
 * names and shapes, the running statistics of its batch or power norms under the names {@link
 * LmNormStatistics} gives them ({@code h.1.attn.norm_in.running_mean [D]}, ...), and the probes table as {@code probe.*} tensors with one row per recorded
 * step ({@code probe.step [R]}, {@code probe.loss [R]}, {@code probe.mean_square [R, L+1]},
 * {@code probe.variance}, {@code probe.max_abs}, {@code probe.fp16_over} likewise,
 * {@code probe.sublayer_norm [R, L, S]}, {@code probe.ffn_grad_norm [R, L, 2]},
 * {@code probe.group_grad_norm [R, G]}, {@code probe.update_ratio [R, G]},
 * {@code probe.attn_entropy [R, L, H]} unless FFN-only). The metadata holds the model
 * description ({@link LmConfig#describe()}), the groups, the training settings and the seed.
 *
 * <p>Files written before the running statistics were stored have none: they still load, and
 * {@link Run#statisticsNote()} says that evaluation then uses the initial statistics.
 */
public final class LmRunFile {

    /** The checkpoint kind of a run file. */
    public static final String KIND = "transformer-lm-run";
    static final String KEY_GROUPS = "probe_groups";
    static final String KEY_INIT_SEEDS = "init_seeds";

    /**
     * What a run file holds.
     *
     * @param normStatistics the running statistics of the batch or power norms; none for the
     *                       per-token norms, for files from before they were stored, and for
     *                       a diverged run whose statistics are not finite
     * @param statisticsNote one line saying why a model with batch or power norms has no
     *                       statistics (so evaluation uses the initial ones), or null
     */
    public record Run(LmConfig config, float[] parameters, LmNormStatistics normStatistics, List<LmProbe> probes,
                      Map<String, String> metadata, String statisticsNote) {

        /** A model of this run on {@code device}: its weights and running statistics. */
        public TransformerLm open(ComputeDevice device) {
            TransformerLm model = new TransformerLm(device, config, parameters);
            try {
                model.setNormStatistics(normStatistics);
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
            return model;
        }
    }

    private LmRunFile() {
    }

    /** Writes a run of a model without batch or power norms (see the full {@link #write} for those). */
    public static void write(Path file, LmConfig config, float[] parameters, List<LmProbe> probes, long seed,
                             Map<String, String> extra) throws IOException {
        write(file, config, parameters, LmNormStatistics.none(), probes, seed, extra);
    }

    /**
     * Writes a run atomically; {@code extra} metadata (training settings, data) is kept as given.
     *
     * @param statistics the model's {@link TransformerLm#normStatistics()}: required when its norm
     *                   kind keeps running statistics, none otherwise
     */
    public static void write(Path file, LmConfig config, float[] parameters, LmNormStatistics statistics,
                             List<LmProbe> probes, long seed, Map<String, String> extra) throws IOException {
        LmLayout layout = new LmLayout(config);
        if (parameters.length != layout.total()) {
            throw new IllegalArgumentException("parameters have " + parameters.length + " floats, the model "
                    + layout.total());
        }
        List<String> statNames = LmNormStatistics.names(config);
        if (!statNames.equals(List.copyOf(statistics.tensors().keySet()))) {
            throw new IllegalArgumentException("a model with " + config.norm().label() + " norms is saved with the "
                    + "running statistics " + statNames + ", got " + statistics.tensors().keySet());
        }
        List<Tensor> tensors = new ArrayList<>();
        for (LmLayout.Entry e : layout.entries()) {
            tensors.add(new Tensor(e.name(), e.shape(), Arrays.copyOfRange(parameters, e.offset(),
                    e.offset() + e.size())));
        }
        statistics.tensors().forEach((name, values) ->
                tensors.add(new Tensor(name, new int[] {config.width()}, values.clone())));
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
        Statistics statistics = statistics(file, c, config);
        List<String> groups = LmProbes.groups(layout);
        String stored = c.metadata().getOrDefault(KEY_GROUPS, "");
        if (!stored.equals(String.join(",", groups))) {
            throw new CheckpointFormatException(file, "probe groups '" + MessageText.abbreviate(stored) + "' do not match the model's");
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
        return new Run(config, params, statistics.values(), probes, c.metadata(), statistics.note());
    }

    private record Statistics(LmNormStatistics values, String note) {
    }

    /**
     * The running statistics of the file: all that the model's norms keep, or none in a file
     * from before they were stored. A partial set, a wrong shape, a value that is not finite or a
     * negative variance is one line naming the tensor; only a diverged run may hold statistics
     * that are not finite, and they are then left out with a note.
     */
    private static Statistics statistics(Path file, Checkpoint c, LmConfig config) throws CheckpointFormatException {
        List<String> names = LmNormStatistics.names(config);
        Map<String, float[]> found = new LinkedHashMap<>();
        String missing = null;
        for (String name : names) {
            if (c.tensors().containsKey(name)) {
                found.put(name, c.tensor(name, config.width()).data());
            } else if (missing == null) {
                missing = name;
            }
        }
        String initial = config.norm() == NormKind.POWER ? "quadratic mean 1" : "mean 0, variance 1";
        if (found.isEmpty()) {
            String note = names.isEmpty() ? null : file.getFileName() + " holds no running statistics of its "
                    + config.norm().label() + " norms (written before run files kept them): evaluation mode uses "
                    + "the initial statistics (" + initial + ")";
            return new Statistics(LmNormStatistics.none(), note);
        }
        if (missing != null) {
            throw new CheckpointFormatException(file, "no tensor named '" + missing + "' (the file holds some "
                    + "running statistics of the model's norms but not this one)");
        }
        boolean diverged = c.metadata().containsKey("diverged");
        for (Map.Entry<String, float[]> e : found.entrySet()) {
            float[] v = e.getValue();
            boolean variance = !e.getKey().endsWith("." + LmNormStatistics.RUNNING_MEAN);
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    if (diverged) {
                        return new Statistics(LmNormStatistics.none(), file.getFileName() + ": the run diverged and "
                                + "its running statistics are not finite ('" + e.getKey() + "'): evaluation mode "
                                + "uses the initial statistics (" + initial + ")");
                    }
                    throw new CheckpointFormatException(file, "tensor '" + e.getKey() + "' holds " + v[i]
                            + " at index " + i + " (running statistics must be finite)");
                }
                if (variance && v[i] < 0) {
                    throw new CheckpointFormatException(file, "tensor '" + e.getKey() + "' holds " + v[i]
                            + " at index " + i + " (a variance or quadratic mean must not be negative)");
                }
            }
        }
        return new Statistics(LmNormStatistics.of(config, found), null);
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
