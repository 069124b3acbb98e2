package org.flowbench.views.norm;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.Failures;
import org.flowbench.views.jobs.LatestJobSlot;
import org.flowbench.views.lab.LabContext;
import org.flowbench.views.params.LabParameters;
import org.flowbench.views.params.Parameter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the view models of the two playground pages (Norm layers, Scale invariance) share: the
 * chosen view and the figure drawn of it, the one-line problem and status, whether a job runs,
 * background jobs in "latest request wins" slots that stop when the page closes, lesson set-ups
 * checked all or nothing, and what a session keeps. A page's model names its parameters, builds
 * its jobs and draws its figure.
 *
 * @param <V> the page's views
 * @param <F> the figure of one view
 */
abstract class PlaygroundModel<V extends PlaygroundView, F extends Figure> {

    static final String VIEW = "view";

    private final LabContext context;
    private final String pageName;
    private final String setupKeys;
    private final Function<String, V> viewById;
    private final List<LatestJobSlot> slots = new ArrayList<>();
    private final ReadOnlyObjectWrapper<V> view;
    private final ReadOnlyObjectWrapper<F> figure = new ReadOnlyObjectWrapper<>(this, "figure");
    private final ProblemLine problem = new ProblemLine(this);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    /** Jobs started and not yet finished: a newer run can start before the one it replaces has stopped. */
    private int jobsRunning;
    private boolean closed;

    /**
     * @param pageName  the page as an unknown set-up key's line names it ("Norm layers")
     * @param setupKeys the keys that line lists
     * @param viewById  a view from its id, or IllegalArgumentException with one line
     */
    PlaygroundModel(LabContext context, String pageName, String setupKeys, V firstView, Function<String, V> viewById) {
        this.context = context;
        this.pageName = pageName;
        this.setupKeys = setupKeys;
        this.viewById = viewById;
        this.view = new ReadOnlyObjectWrapper<>(this, VIEW, firstView);
        view.addListener((obs, old, now) -> rebuildFigure());
        context.theme().addListener((obs, old, now) -> rebuildFigure());
    }

    /** The page's parameters, in the order a session stores them. */
    abstract LabParameters parameters();

    /** Starts every job whose result the page shows. */
    abstract void runAll();

    /** Draws {@link #figureProperty} again from the results, the view and the theme. */
    abstract void rebuildFigure();

    final LabContext context() {
        return context;
    }

    ReadOnlyObjectProperty<V> viewProperty() {
        return view.getReadOnlyProperty();
    }

    final V view() {
        return view.get();
    }

    void setView(V v) {
        view.set(v);
    }

    ReadOnlyObjectProperty<F> figureProperty() {
        return figure.getReadOnlyProperty();
    }

    final void setFigure(F f) {
        figure.set(f);
    }

    /** The last problem as one line (bad settings, a failed run), or null. */
    ReadOnlyStringProperty problemProperty() {
        return problem.property();
    }

    final void setProblem(String line) {
        problem.set(line);
    }

    /** Shows a refused typed value's one-line reason; null clears an earlier one. */
    void reportProblem(String line) {
        problem.reportRefusal(line);
    }

    ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    final void setStatus(String line) {
        status.set(line);
    }

    ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** A job of this page started: {@link #runningProperty} is true until every started job has finished. */
    final void jobStarted() {
        jobsRunning++;
        running.set(true);
    }

    /** A job of this page finished (succeeded, failed or was cancelled). */
    final void jobFinished() {
        jobsRunning = Math.max(0, jobsRunning - 1);
        running.set(jobsRunning > 0);
    }

    /** A slot for one kind of job; closing the page cancels its job. */
    final LatestJobSlot newJobSlot() {
        LatestJobSlot slot = new LatestJobSlot(context.executor(), context.later());
        slots.add(slot);
        return slot;
    }

    /**
     * Asks {@code slot} for the job {@code job} builds once the current burst of changes is over
     * (nothing once the page is closed). Building it reads the settings first: settings that do not
     * fit throw IllegalArgumentException before anything else changes, show as the problem line and
     * start nothing. A job that fails shows its one-line reason there too.
     */
    final void request(LatestJobSlot slot, Supplier<BackgroundTask<?>> job) {
        if (closed) {
            return;
        }
        slot.request(() -> {
            BackgroundTask<?> task;
            try {
                task = job.get();
            } catch (IllegalArgumentException e) {
                problem.set(e.getMessage());
                return null;
            }
            return task.onFailure(e -> problem.set(Failures.oneLine(e)));
        });
    }

    /**
     * Applies a lesson's set-up: the parameter keys (through {@link #setupValue}) and {@code view}.
     * All or nothing: a bad value leaves everything as it was and sets the problem.
     */
    void applySetup(Map<String, String> setup) {
        Map<String, Object> values = new LinkedHashMap<>();
        V newView = null;
        for (Map.Entry<String, String> e : setup.entrySet()) {
            String key = e.getKey().strip();
            String value = e.getValue() == null ? "" : e.getValue().strip();
            try {
                if (key.equals(VIEW)) {
                    newView = viewById.apply(value);
                } else if (parameters().all().stream().anyMatch(p -> p.key().equals(key))) {
                    values.put(key, setupValue(key, value));
                } else {
                    throw new IllegalArgumentException("unknown set-up key '" + key + "' for the " + pageName
                            + " page (keys: " + setupKeys + ")");
                }
            } catch (IllegalArgumentException ex) {
                problem.set(ex.getMessage());
                return;
            }
        }
        String bad = parameters().problems(values);
        if (bad != null) {
            problem.set(bad);
            return;
        }
        applyCheckedSetup(values, newView);
    }

    /** A set-up's value for {@code key} as the parameter stores it (a short name made the full id); the value itself by default. */
    String setupValue(String key, String value) {
        return value;
    }

    /**
     * Applies set-up values each parameter accepts (and the view, when the set-up names one). By
     * default the problem line clears and every change takes effect as the user's own would.
     */
    void applyCheckedSetup(Map<String, Object> values, V newView) {
        problem.set(null);
        parameters().applyAll(values);
        if (newView != null) {
            view.set(newView);
        }
    }

    /** What a session keeps: the parameters and the view. */
    Map<String, Object> viewState() {
        Map<String, Object> state = new LinkedHashMap<>(parameters().values());
        state.put(VIEW, view.get().id());
        return state;
    }

    /** Restores {@link #viewState}; values that do not fit are skipped. */
    void restoreViewState(Map<String, Object> state) {
        for (Parameter<?> p : parameters().all()) {
            Object v = state.get(p.key());
            if (v != null) {
                p.trySet(v);
            }
        }
        if (state.get(VIEW) instanceof String name) {
            try {
                view.set(viewById.apply(name));
            } catch (IllegalArgumentException ignored) {
                // a view this build does not know: keep the current one
            }
        }
    }

    /** Cancels every job and starts no more. */
    void close() {
        closed = true;
        for (LatestJobSlot slot : slots) {
            slot.cancel();
        }
    }
}
