package org.flowbench.views.norm;

import org.flowbench.compute.lm.LmConfig;
import org.flowbench.compute.lm.LmNormStatistics;
import org.flowbench.compute.lm.LmProbe;
import org.flowbench.compute.lm.LmRecording;
import org.flowbench.compute.lm.LmRunFile;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run as the Depth page shows it: its model, its probes over training (step 0 first), the
 * final weights when known (for the activation read-out), where it diverged, and where it came
 * from. Immutable; a run still training is shown by a new instance per probe.
 *
 * @param label         short name in panel headers ("Pre-LN", or the file name)
 * @param config        the model
 * @param probes        probes in step order, at least one
 * @param parameters    the weights after the last step, or null while training
 * @param normStatistics the running statistics of its batch or power norms with those weights
 *                      (none for other norms, and for run files from before they were stored)
 * @param data          the data description of the run file ("reverse of length 8"), or the input a
 *                      probed checkpoint read
 * @param divergedStep  the step whose loss or gradient was not finite, or -1
 * @param divergedLayer the first layer with non-finite values there, or -1
 * @param source        the run file or probed checkpoint, or null for a run trained in the lab
 * @param totalSteps    the run's planned length (the timeline's end while it trains)
 */
public record DepthRun(String label, LmConfig config, List<LmProbe> probes, float[] parameters,
                       LmNormStatistics normStatistics, String data, int divergedStep, int divergedLayer, Path source,
                       int totalSteps) {

    private static final Pattern DIVERGED_STEP = Pattern.compile("diverged at step (\\d{1,9})(?!\\d)");
    private static final Pattern DIVERGED_LAYER = Pattern.compile("at layer (\\d{1,9})(?!\\d)");

    public DepthRun {
        if (probes == null || probes.isEmpty()) {
            throw new IllegalArgumentException("a run needs at least its probe at initialisation");
        }
        probes = List.copyOf(probes);
        normStatistics = normStatistics == null ? LmNormStatistics.none() : normStatistics;
    }

    /** A run without running statistics (still training, probed, or with per-token norms). */
    public DepthRun(String label, LmConfig config, List<LmProbe> probes, float[] parameters, String data,
                    int divergedStep, int divergedLayer, Path source, int totalSteps) {
        this(label, config, probes, parameters, LmNormStatistics.none(), data, divergedStep, divergedLayer, source,
                totalSteps);
    }

    /** The run of a run file. */
    public static DepthRun of(LmRunFile.Run run, Path file) {
        Map<String, String> meta = run.metadata();
        String diverged = meta.get("diverged");
        int step = -1;
        int layer = -1;
        if (diverged != null) {
            Matcher s = DIVERGED_STEP.matcher(diverged);
            step = s.find() ? Integer.parseInt(s.group(1)) : -1;
            Matcher l = DIVERGED_LAYER.matcher(diverged);
            layer = l.find() ? Integer.parseInt(l.group(1)) : diverged.contains("embeddings") ? 0 : -1;
        }
        int last = run.probes().isEmpty() ? 0 : run.probes().get(run.probes().size() - 1).step();
        return new DepthRun(placementName(run.config()), run.config(), run.probes(), run.parameters(),
                run.normStatistics(), meta.getOrDefault("data", ""), step, layer, file, Math.max(last, step));
    }

    /** The run of a finished recording. */
    public static DepthRun of(LmRecording.Result r) {
        return new DepthRun(placementName(r.settings().config()), r.settings().config(), r.probes(), r.parameters(),
                r.normStatistics(), r.settings().data().describe(), r.divergedStep(), r.divergedLayer(), null, r.settings().steps());
    }

    /** The same run with its label replaced. */
    public DepthRun labelled(String newLabel) {
        return new DepthRun(newLabel, config, probes, parameters, normStatistics, data, divergedStep, divergedLayer,
                source, totalSteps);
    }

    /**
     * One line when the weights of a run file come without the running statistics their batch or
     * power norms need (a file from before they were stored, or a diverged run), else null.
     */
    public String statisticsNote() {
        if (source == null || parameters == null || !config.norm().usesBatchStatistics()
                || !normStatistics.isEmpty()) {
            return null;
        }
        return source.getFileName() + " holds no running statistics of its " + config.norm().label()
                + " norms: the |x| read-out normalises with the batch's own statistics";
    }

    public boolean diverged() {
        return divergedStep >= 0;
    }

    /** The step of the last probe. */
    public int lastStep() {
        return probes.get(probes.size() - 1).step();
    }

    /** The last probe at or before {@code step} (the first probe when step is before it). */
    public LmProbe probeAt(int step) {
        int lo = 0;
        int hi = probes.size() - 1;
        if (step <= probes.get(0).step()) {
            return probes.get(0);
        }
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (probes.get(mid).step() <= step) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return probes.get(lo);
    }

    /** The usual name of a placement: Post-LN, Pre-LN, Peri-LN, No norm, Pre-LN + scaling. */
    public static String placementName(LmConfig config) {
        return switch (config.placement()) {
            case NONE -> "No norm";
            case POST -> "Post-LN";
            case PRE -> "Pre-LN";
            case PERI -> "Peri-LN";
            case PRE_SCALED -> "Pre-LN + scaling";
        };
    }
}
