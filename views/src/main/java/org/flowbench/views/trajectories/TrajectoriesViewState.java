package org.flowbench.views.trajectories;

import org.flowbench.views.figure.DataBounds;
import org.flowbench.views.figure.FigureTheme;

/**
 * Everything about the Trajectories figure that is not sampled: the time shown, the zoom, the
 * selected particle, the drawing options and the theme. The figure on screen is always
 * {@link #applyTo} of the last sampled figure, composed here and nowhere else, so an option
 * toggled while a job runs is still there when its result arrives.
 *
 * @param view     the shared zoom and pan, or null for the view fitted to the sampled data
 * @param selected the inspected particle, -1 for none
 */
record TrajectoriesViewState(double time, DataBounds view, int selected, TrajectoriesFigure.Options options, FigureTheme theme) {

    static TrajectoriesViewState initial() {
        return new TrajectoriesViewState(0, null, -1, TrajectoriesFigure.Options.defaults(), FigureTheme.LIGHT);
    }

    /** {@code sampled} at this time, zoom, selection, options and theme; {@code fitted} stands in for a null view. */
    TrajectoriesFigure applyTo(TrajectoriesFigure sampled, DataBounds fitted) {
        return sampled.at(time).viewing(view != null ? view : fitted).selecting(selected).with(options).themed(theme);
    }

    TrajectoriesViewState withTime(double t) {
        return new TrajectoriesViewState(t, view, selected, options, theme);
    }

    TrajectoriesViewState withView(DataBounds v) {
        return new TrajectoriesViewState(time, v, selected, options, theme);
    }

    TrajectoriesViewState withSelected(int particle) {
        return new TrajectoriesViewState(time, view, particle, options, theme);
    }

    TrajectoriesViewState withOptions(TrajectoriesFigure.Options o) {
        return new TrajectoriesViewState(time, view, selected, o, theme);
    }

    TrajectoriesViewState withTheme(FigureTheme t) {
        return new TrajectoriesViewState(time, view, selected, options, t);
    }

    /**
     * The next (or, going back, the previous) grid time of any panel of {@code shown} after
     * {@code now}; 1 (or 0) past the last one.
     */
    static double nextGridTime(TrajectoriesFigure shown, double now, boolean forward) {
        double[] grid = shown == null ? new double[] {0, 1}
                : shown.runs().stream().flatMapToDouble(r -> java.util.Arrays.stream(r.times())).sorted().distinct().toArray();
        return forward ? java.util.Arrays.stream(grid).filter(t -> t > now + 1e-9).findFirst().orElse(1.0)
                : java.util.Arrays.stream(grid).filter(t -> t < now - 1e-9).max().orElse(0.0);
    }
}
