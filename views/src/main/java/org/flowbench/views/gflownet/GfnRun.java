package org.flowbench.views.gflownet;

import org.flowbench.compute.gflownet.ExactFlows;
import org.flowbench.compute.gflownet.GfnEnvironment;
import org.flowbench.compute.gflownet.GfnTraining;
import org.flowbench.compute.gflownet.NetworkShape;
import org.flowbench.compute.gflownet.Objective;

import java.util.List;

/**
 * What the lab shows: one environment, its exact solution (null when it is too large to
 * enumerate) and one series of snapshots per trained objective. Immutable; a running training
 * hands the view a new one after every round of snapshots.
 *
 * @param finished whether every series has drawn all its trajectories
 */
record GfnRun(GfnEnvironment environment, ExactFlows exact, List<Series> series, boolean finished) {

    /** The largest graph whose per-state arrays are kept in every snapshot. */
    static final int MAX_SHOWN_STATES = 1 << 16;

    GfnRun {
        series = List.copyOf(series);
    }

    /**
     * The network of one objective as it stands at its latest snapshot.
     *
     * @param parameters flat parameters ({@code shape.parameterCount()})
     */
    record Policy(Objective objective, NetworkShape shape, float[] parameters, double logZ) {
    }

    /**
     * One snapshot. With an exact solution: {@code distribution // [n]} the terminal distribution
     * the policy induces per state index, {@code logStateFlows // [n]} and
     * {@code logEdgeFlows // [n*actions]} the learned flows (see {@code Evaluation.Exact}); null
     * otherwise.
     */
    record Frame(GfnTraining.Snapshot snapshot, double[] distribution, double[] logStateFlows, double[] logEdgeFlows) {
    }

    /** The snapshots of one objective, oldest first (the first taken before any training), and its latest network. */
    record Series(String loss, List<Frame> frames, Policy policy) {
        Series {
            frames = List.copyOf(frames);
        }

        String label() {
            return GfnSettings.label(loss);
        }

        /** Frame {@code k}, or the last one when the series has fewer. */
        Frame frame(int k) {
            return frames.get(Math.max(0, Math.min(k, frames.size() - 1)));
        }
    }

    /** The most snapshots any series holds: the timeline's length. */
    int frameCount() {
        return series.stream().mapToInt(s -> s.frames().size()).max().orElse(0);
    }

    /** The series of {@code loss}, or the first one when that loss was not trained. */
    Series seriesOrFirst(String loss) {
        String spec = Objective.parse(loss).spec();
        return series.stream().filter(s -> s.loss().equals(spec)).findFirst().orElse(series.get(0));
    }

    /** The series of {@code loss}, or null. */
    Series seriesOf(String loss) {
        String spec = Objective.parse(loss).spec();
        return series.stream().filter(s -> s.loss().equals(spec)).findFirst().orElse(null);
    }

    /** The frame index the timeline position {@code u} in [0, 1] points at. */
    int frameAt(double u) {
        int n = frameCount();
        return n <= 1 ? 0 : (int) Math.round(Math.max(0, Math.min(1, u)) * (n - 1));
    }

    /** Whether the exact per-state arrays are there (an enumerable environment, small enough). */
    boolean hasExact() {
        return exact != null;
    }
}
