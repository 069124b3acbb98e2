package org.flowbench.views.norm;

import javafx.scene.Node;
import org.flowbench.compute.lm.LmRunFile;
import org.flowbench.compute.lm.LmSweep;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureSpec;
import org.flowbench.views.lab.Lab;
import org.flowbench.views.lab.LabContext;
import org.flowbench.views.lab.LabDescriptor;
import org.flowbench.views.params.LabParameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Normalization &amp; depth lab: its pages as tabs ({@link #pages()} is the one list of them),
 * the lesson's set-ups handed to the page they name ({@code page=depth|sweep|layers|scale}), the
 * session's view state per page, File &gt; Open of run files into Depth, and the life cycle
 * forwarded to every page.
 */
public final class NormalizationLab implements Lab {

    public static final String ID = "normalization";
    public static final String TITLE = "Normalization & depth";

    private final LabContext context;
    private final DepthPage depth;
    private final SweepPage sweep;
    private final List<NormLabPage> pages;
    private NormalizationPage page;
    private boolean onScreen;
    private boolean closed;

    public NormalizationLab(LabContext context) {
        this.context = context;
        this.depth = new DepthPage(context);
        this.sweep = new SweepPage(context);
        List<NormLabPage> list = new ArrayList<>();
        list.add(depth);
        list.add(sweep);
        list.add(new NormLayersPage(context));
        list.add(new ScaleInvariancePage(context));
        this.pages = List.copyOf(list);
        sweep.setOnOpenRun(this::openSweepRun);
        depth.loadSamples();
        sweep.loadSample();
    }

    /** The lab list's entry: the figures it registers and the checkpoint kind it opens (run files). */
    public static LabDescriptor descriptor() {
        List<FigureSpec> figures = new ArrayList<>(NormalizationFigures.specs());
        figures.addAll(NormLayersFigures.specs());
        figures.addAll(ScaleInvarianceFigures.specs());
        return new LabDescriptor(ID, TITLE, NormalizationLab::new, figures, List.of(LmRunFile.KIND));
    }

    /** The pages, in tab order. */
    List<NormLabPage> pages() {
        return pages;
    }

    public DepthPage depth() {
        return depth;
    }

    public SweepPage sweep() {
        return sweep;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return TITLE;
    }

    @Override
    public Node view() {
        if (page == null) {
            page = new NormalizationPage(pages, this::applySetup, context.status());
            page.setVisibleInWindow(onScreen);
        }
        return page;
    }

    @Override
    public LabParameters parameters() {
        return LabParameters.none();
    }

    @Override
    public Optional<Figure> currentFigure() {
        NormLabPage shown = page == null ? depth : page.selectedPage();
        return shown == null ? depth.currentFigure() : shown.currentFigure();
    }

    /**
     * A lesson section's set-up: {@code page} names the page (depth, sweep, layers, scale); the
     * other keys go to that page. A page this lab does not have is ignored with a status line.
     */
    public void applySetup(Map<String, String> setup) {
        String name = setup.getOrDefault("page", "depth").strip().toLowerCase(Locale.ROOT);
        NormLabPage target = null;
        for (NormLabPage p : pages) {
            if (pageKey(p).equals(name)) {
                target = p;
            }
        }
        if (target == null) {
            context.status().accept("The lesson names a page '" + name + "' this lab does not have (pages: "
                    + String.join(", ", pages.stream().map(NormalizationLab::pageKey).toList()) + ")");
            return;
        }
        Map<String, String> rest = new LinkedHashMap<>(setup);
        rest.remove("page");
        if (page != null) {
            page.select(target);
        }
        target.applySetup(rest);
    }

    /** The set-up name of a page: the first word of its title, lower case ("depth", "sweep", "layers", "scale"). */
    static String pageKey(NormLabPage p) {
        String t = p.title().toLowerCase(Locale.ROOT);
        if (t.startsWith("norm ")) {
            t = t.substring(5);
        }
        int space = t.indexOf(' ');
        return space < 0 ? t : t.substring(0, space);
    }

    private void openSweepRun(LmSweep.Outcome outcome) {
        LmSweep.Sweep s = sweep.model().sweepProperty().get();
        if (s == null) {
            return;
        }
        depth.trainRun(s.settings().recording(outcome.cell(), Math.max(1, s.settings().steps() / 50)));
        if (page != null) {
            page.select(depth);
        }
        context.status().accept("Training " + SweepFigure.name(outcome.cell().placement()) + ", lr "
                + outcome.cell().lr() + ", warm-up " + (outcome.cell().warmup() ? "on" : "off") + ", seed "
                + outcome.cell().seed() + " again in Depth");
    }

    @Override
    public void open(Path file) {
        depth.model().open(file);
        if (page != null) {
            page.select(depth);
        }
    }

    @Override
    public Map<String, Object> viewState(Path sessionFolder) {
        Map<String, Object> state = new LinkedHashMap<>();
        for (NormLabPage p : pages) {
            state.put(pageKey(p), p.viewState(sessionFolder));
        }
        if (page != null && page.selectedPage() != null) {
            state.put("page", pageKey(page.selectedPage()));
        }
        return state;
    }

    @Override
    public void restoreViewState(Map<String, Object> state, Path sessionFolder) {
        for (NormLabPage p : pages) {
            if (state.get(pageKey(p)) instanceof Map<?, ?> m) {
                Map<String, Object> typed = new LinkedHashMap<>();
                m.forEach((k, v) -> {
                    if (k instanceof String key) {
                        typed.put(key, v);
                    }
                });
                p.restoreViewState(typed, sessionFolder);
            }
        }
        if (state.get("page") instanceof String name && page != null) {
            pages.stream().filter(p -> pageKey(p).equals(name)).findFirst().ifPresent(page::select);
        }
    }

    @Override
    public void onShown() {
        onScreen = true;
        if (page != null) {
            page.setVisibleInWindow(true);
        }
    }

    @Override
    public void onHidden() {
        onScreen = false;
        if (page != null) {
            page.setVisibleInWindow(false);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        onHidden();
        for (NormLabPage p : pages) {
            p.close();
        }
    }
}
