package org.flowbench.views.poincare;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.scene.Node;
import org.flowbench.compute.embedding.EmbeddingFiles;
import org.flowbench.compute.embedding.HierarchyEmbedding;
import org.flowbench.compute.embedding.PoincareManifold;
import org.flowbench.compute.hierarchy.EdgeList;
import org.flowbench.compute.hierarchy.EdgeListFiles;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.LatestJobSlot;
import org.flowbench.views.lab.Lab;
import org.flowbench.views.lab.LabContext;
import org.flowbench.views.lab.LabDescriptor;
import org.flowbench.views.lab.LabStatus;
import org.flowbench.views.lab.LazyPage;
import org.flowbench.views.params.LabParameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Poincaré ball lab's view model. It holds the hierarchy (the WordNet mammal closure at
 * first) and the embedding the disc shows, and composes the disc figure from them and the view
 * state: curvature, the Möbius re-centring, the selected node and the ruler. Loading and
 * laying out an embedding run as jobs (the latest wins); re-centring, selecting and measuring
 * only recompose the figure. Training lives in {@link PoincareTraining}, the ResNet demos in a
 * job of their own.
 */
public final class PoincareLab implements Lab {

    public static final String ID = "poincare";

    /** The page's tabs; the figure File > Export figure writes follows the one on show. */
    public enum Panel { DISC, TRAINING, RESNET, LESSON }

    private final LabContext context;
    private final PoincareParameters params = new PoincareParameters();
    private final LatestJobSlot loading;
    private final LatestJobSlot layoutSlot;
    private final LatestJobSlot resnetSlot;
    private final PoincareTraining training;

    private final ReadOnlyObjectWrapper<PoincareDiscFigure> disc = new ReadOnlyObjectWrapper<>(this, "disc");
    private final ReadOnlyObjectWrapper<ResNetFigure> resnet = new ReadOnlyObjectWrapper<>(this, "resnet");
    private final LabStatus line;
    private final ReadOnlyObjectWrapper<Hierarchy> hierarchyProperty = new ReadOnlyObjectWrapper<>(this, "hierarchy");
    private final ReadOnlyObjectWrapper<Panel> panel = new ReadOnlyObjectWrapper<>(this, "panel", Panel.DISC);
    private final BooleanProperty rulerMode = new SimpleBooleanProperty(this, "rulerMode", false);

    private EdgeList edges;
    private Path edgesFile;
    private HierarchyEmbedding sample2d;
    private HierarchyEmbedding sample5d;
    private HierarchyEmbedding opened;
    private Path openedFile;
    /** An embedding asked for while the hierarchy was still loading (File > Open on a lab just built). */
    private Path pendingEmbedding;
    private DiscScene scene;
    private DiscView view = DiscView.IDENTITY;
    private int selected = -1;
    private double[] ruler = new double[0];
    private Map<String, Object> pendingRestore;
    private final LazyPage<PoincarePage> page;

    /** @param loadSamples open the mammal closure and its 2-D embedding at once (the app); tests may load their own */
    public PoincareLab(LabContext context, boolean loadSamples) {
        this.context = context;
        this.line = new LabStatus(this, "Loading the mammal closure\u2026", context.executor());
        this.page = new LazyPage<>(() -> new PoincarePage(this, context.dialogs()), PoincarePage::setActive);
        this.loading = new LatestJobSlot(context.executor(), context.later());
        this.layoutSlot = new LatestJobSlot(context.executor(), context.later());
        this.resnetSlot = new LatestJobSlot(context.executor(), context.later());
        this.training = new PoincareTraining(this, params, context);
        params.source.valueProperty().addListener((obs, before, now) -> showSource());
        params.curvature.valueProperty().addListener((obs, before, now) -> rescene());
        for (var p : List.of(params.labels, params.edges, params.tiling)) {
            p.valueProperty().addListener((obs, before, now) -> recompose());
        }
        params.resnet.forEach(p -> p.valueProperty().addListener((obs, before, now) -> recomputeResNet()));
        context.theme().addListener((obs, before, now) -> {
            recompose();
            recomputeResNet();
            training.recompose();
        });
        recomputeResNet();
        if (loadSamples) {
            openHierarchy(PoincareSamples.closure(), true);
        }
    }

    /** The lab list's entry: the lab, its figures, and the files File > Open hands it (safetensors embeddings). */
    public static LabDescriptor descriptor() {
        return new LabDescriptor(ID, "Poincar\u00e9 ball", ctx -> new PoincareLab(ctx, true), PoincareFigures.specs(),
                List.of(EmbeddingFiles.KIND, ".tsv", ".txt", ".vec", ".w2v"));
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Poincar\u00e9 ball";
    }

    @Override
    public Node view() {
        return page.get();
    }

    @Override
    public LabParameters parameters() {
        return params.all;
    }

    PoincareParameters params() {
        return params;
    }

    @Override
    public Optional<Figure> currentFigure() {
        Figure f = switch (panel.get()) {
            case TRAINING -> training.chartsProperty().get();
            case RESNET -> resnet.get();
            default -> disc.get();
        };
        return Optional.ofNullable(f != null ? f : disc.get());
    }

    @Override
    public void onShown() {
        page.setActive(true);
    }

    @Override
    public void onHidden() {
        page.setActive(false);
    }

    /** Opens an embedding file (TSV, word2vec text or safetensors) of the loaded hierarchy's nodes. */
    @Override
    public void open(Path file) {
        openEmbedding(file);
    }

    @Override
    public void close() {
        loading.cancel();
        layoutSlot.cancel();
        resnetSlot.cancel();
        training.cancel();
        onHidden();
    }

    // ---- state for the page and tests ----

    public ReadOnlyObjectProperty<PoincareDiscFigure> discProperty() {
        return disc.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<ResNetFigure> resnetProperty() {
        return resnet.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<String> statusProperty() {
        return line.statusProperty();
    }

    /** The last problem in one line, or null. */
    public ReadOnlyObjectProperty<String> problemProperty() {
        return line.problemProperty();
    }

    public ReadOnlyObjectProperty<Hierarchy> hierarchyProperty() {
        return hierarchyProperty.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Panel> panelProperty() {
        return panel.getReadOnlyProperty();
    }

    public void setPanel(Panel shown) {
        panel.set(shown);
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return line.busyProperty();
    }

    /** While on, clicks on the disc place the ruler's ends instead of selecting nodes. */
    public BooleanProperty rulerModeProperty() {
        return rulerMode;
    }

    public PoincareTraining training() {
        return training;
    }

    Hierarchy hierarchy() {
        return hierarchyProperty.get();
    }

    EdgeList edges() {
        return edges;
    }

    public DiscView discView() {
        return view;
    }

    public int selected() {
        return selected;
    }

    // ---- files ----

    /** Reads an edge list (CSV id1,id2[,weight] or TSV pairs, id1 the hyponym); the disc then waits for an embedding of it. */
    public void openHierarchy(Path file, boolean withSamples) {
        loading.request(() -> tracked(BackgroundTask.of("Open hierarchy " + file.getFileName(), ctx -> {
                    EdgeList read = EdgeListFiles.read(file);
                    Hierarchy h = Hierarchy.of(read);
                    HierarchyEmbedding sample = withSamples ? readAligned(PoincareSamples.embedding(2), read, file) : null;
                    return new Loaded(file, read, h, sample);
                }))
                .onSuccess(this::loaded)
                .onFailure(error -> {
                    pendingEmbedding = null;
                    fail(error);
                }));
    }

    private record Loaded(Path file, EdgeList edges, Hierarchy hierarchy, HierarchyEmbedding sample2d) {
    }

    private void loaded(Loaded done) {
        edges = done.edges();
        edgesFile = done.file();
        sample2d = done.sample2d();
        sample5d = null;
        opened = null;
        openedFile = null;
        training.reset();
        selected = -1;
        ruler = new double[0];
        view = DiscView.IDENTITY;
        scene = null;
        disc.set(null);
        hierarchyProperty.set(done.hierarchy());
        line.problem(null);
        line.say(String.format(Locale.ROOT, "%s: %,d nodes, %,d edges, depth up to %d", done.file().getFileName(),
                done.hierarchy().size(), edges.edgeCount(), done.hierarchy().maxDepth()));
        if (sample2d == null && params.source.get().startsWith("sample")) {
            params.source.trySet(PoincareParameters.TRAINED);
        }
        showSource();
        Path waiting = pendingEmbedding;
        pendingEmbedding = null;
        if (waiting != null) {
            openEmbedding(waiting);
        }
    }

    /** Reads an embedding and puts its points in the order of the hierarchy's nodes. */
    static HierarchyEmbedding readAligned(Path file, EdgeList edges, Path edgesFile) throws java.io.IOException {
        HierarchyEmbedding e;
        try {
            e = EmbeddingFiles.read(file, PoincareManifold.INSTANCE);
        } catch (org.flowbench.compute.hierarchy.HierarchyFormatException outside) {
            // a text file does not name its manifold: hyperboloid coordinates are not points of the ball
            if (EmbeddingFiles.formatOf(file) == EmbeddingFiles.Format.SAFETENSORS) {
                throw outside;
            }
            try {
                e = EmbeddingFiles.read(file, org.flowbench.compute.embedding.LorentzManifold.INSTANCE);
            } catch (java.io.IOException notLorentz) {
                throw outside;
            }
        }
        return EmbeddingFiles.alignTo(e, edges, file, edgesFile);
    }

    /** Opens an embedding of the loaded hierarchy's nodes and shows it. */
    public void openEmbedding(Path file) {
        if (edges == null && loading.isBusy()) {
            pendingEmbedding = file;
            line.say("Opening " + file.getFileName() + " once the hierarchy has loaded");
            return;
        }
        if (edges == null) {
            line.problem("open a hierarchy before an embedding of it");
            return;
        }
        EdgeList current = edges;
        Path currentFile = edgesFile;
        tracked(BackgroundTask.of("Open embedding " + file.getFileName(), ctx -> readAligned(file, current, currentFile)))
                .onSuccess(e -> {
                    if (current != edges) {
                        return;
                    }
                    opened = e;
                    openedFile = file;
                    line.problem(null);
                    if (!params.source.get().equals(PoincareParameters.OPENED)) {
                        params.source.trySet(PoincareParameters.OPENED);
                    } else {
                        showSource();
                    }
                })
                .onFailure(this::fail)
                .executeWith(context.executor());
    }

    /** The embedding the disc shows now, or null. */
    public HierarchyEmbedding shownEmbedding() {
        return switch (params.source.get()) {
            case PoincareParameters.SAMPLE_5D -> sample5d;
            case PoincareParameters.TRAINED -> training.trained();
            case PoincareParameters.OPENED -> opened;
            default -> sample2d;
        };
    }

    Path openedFile() {
        return openedFile;
    }

    /** Lays out the embedding the source parameter names, as a job. */
    void showSource() {
        Hierarchy h = hierarchy();
        if (h == null) {
            return;
        }
        String source = params.source.get();
        HierarchyEmbedding chosen = shownEmbedding();
        EdgeList current = edges;
        Path currentEdges = edgesFile;
        if (chosen == null && !source.equals(PoincareParameters.SAMPLE_5D)) {
            disc.set(null);
            scene = null;
            line.say(source.equals(PoincareParameters.TRAINED) ? "No trained embedding yet: train one on the Training tab"
                    : source.equals(PoincareParameters.OPENED) ? "No embedding file opened yet (Disc tab: Open embedding\u2026)"
                    : "The bundled embeddings belong to the mammal closure; train or open an embedding of this hierarchy");
            return;
        }
        String name = describe(source, currentEdges);
        layoutSlot.request(() -> tracked(BackgroundTask.of("Lay out " + name, ctx -> {
                    HierarchyEmbedding e = chosen;
                    if (e == null) {
                        e = readAligned(PoincareSamples.embedding(5), current, currentEdges);
                    }
                    return new Shown(e, DiscLayout.of(e, h.root(), h.label(h.root()), params.seed.get()));
                }))
                .onSuccess(shown -> {
                    if (current != edges) {
                        return;
                    }
                    if (source.equals(PoincareParameters.SAMPLE_5D)) {
                        sample5d = shown.embedding();
                    }
                    scene = DiscScene.of(h, shown.layout(), params.curvature.get(),
                            name + ", " + shown.embedding().dim() + "-D " + SpaceNames.of(shown.embedding().manifold().name()));
                    ruler = new double[0];
                    recompose();
                    line.say(shown.layout().description() + ". Drag to re-centre, double-click to go back, click a node to select it, "
                            + "hover for its numbers.");
                    applyPendingRestore();
                })
                .onFailure(this::fail));
    }

    private record Shown(HierarchyEmbedding embedding, DiscLayout layout) {
    }

    private String describe(String source, Path file) {
        String hierarchyName = file == null ? "hierarchy" : file.getFileName().toString().replaceFirst("\\.[^.]*$", "").replace('_', ' ');
        return switch (source) {
            case PoincareParameters.TRAINED -> hierarchyName + ", trained here";
            case PoincareParameters.OPENED -> openedFile == null ? hierarchyName : openedFile.getFileName().toString();
            default -> hierarchyName;
        };
    }

    // ---- the disc's view state ----

    private void rescene() {
        if (scene != null) {
            scene = scene.withCurvature(params.curvature.get());
            ruler = new double[0];
            recompose();
        }
    }

    void recompose() {
        if (scene == null) {
            return;
        }
        disc.set(new PoincareDiscFigure(scene, view, params.discOptions(), selected, ruler.length == 4 ? ruler : null,
                "Poincar\u00e9 disc", theme()));
    }

    FigureTheme theme() {
        return context.theme().getValue() == null ? FigureTheme.LIGHT : context.theme().getValue();
    }

    /** Shows the disc through {@code next} (a drag, a step of an animation, a reset). */
    public void setView(DiscView next) {
        view = next == null ? DiscView.IDENTITY : next;
        recompose();
    }

    /** The view that puts node {@code node} at the centre, or the current view when there is none. */
    public DiscView viewCentredOn(int node) {
        if (scene == null || node < 0 || node >= scene.size()) {
            return view;
        }
        return DiscView.centredOn(scene.xy()[2 * node], scene.xy()[2 * node + 1]);
    }

    /** Selects a node (-1: none); its ancestors and descendants are highlighted. */
    public void select(int node) {
        Hierarchy h = hierarchy();
        selected = h != null && node >= 0 && node < h.size() ? node : -1;
        recompose();
        if (selected >= 0) {
            line.say(describeNode(selected));
        }
    }

    /** Selects the node named (or labelled) {@code text}; false when there is none. */
    public boolean search(String text) {
        Hierarchy h = hierarchy();
        int node = h == null ? -1 : h.find(text);
        if (node < 0) {
            line.problem("no node named '" + (text == null ? "" : text.strip()) + "'");
            return false;
        }
        line.problem(null);
        select(node);
        return true;
    }

    /** One line about a node: name, depth, nodes below, norm and distance to the root in the ball shown. */
    public String describeNode(int node) {
        Hierarchy h = hierarchy();
        if (h == null || scene == null || node < 0 || node >= h.size()) {
            return "";
        }
        return String.format(Locale.ROOT, "%s \u00b7 depth %d \u00b7 %d below \u00b7 norm %.5f \u00b7 distance to %s %.3f",
                h.name(node), h.depth(node), h.descendants(node), scene.norm(node), h.label(h.root()), scene.distance(node, h.root()));
    }

    /**
     * A click at the scene point (x, y) in ruler mode: the first click starts the ruler, the
     * second finishes it, a third starts a new one.
     */
    public void rulerClick(double x, double y) {
        if (ruler.length == 2) {
            ruler = new double[] {ruler[0], ruler[1], x, y};
            recompose();
            PoincareDiscFigure f = disc.get();
            if (f != null) {
                line.say(f.rulerText());
            }
        } else {
            ruler = new double[] {x, y};
            recompose();
            line.say("Ruler: click a second point");
        }
    }

    public void clearRuler() {
        ruler = new double[0];
        recompose();
    }

    // ---- Poincaré ResNet ----

    private void recomputeResNet() {
        int layers = params.layers.get();
        int dim = params.layerDim.get();
        int n = params.batch.get();
        double s = params.scale.get();
        double bx = params.shiftX.get();
        double by = params.shiftY.get();
        long seed = params.seed.get();
        FigureTheme theme = theme();
        resnetSlot.request(() -> tracked(BackgroundTask.of("Poincar\u00e9 ResNet demos", ctx ->
                        new ResNetFigure(ResNetDemos.depth(layers, dim, 16, 1.0, seed), ResNetDemos.batchNorm(n, 1.0, s, bx, by, seed),
                                ResNetFigure.Panels.BOTH, theme)))
                .onSuccess(resnet::set)
                .onFailure(this::fail));
    }

    // ---- sessions ----

    /** The view (its Möbius matrix), the selected node's name, the ruler, the tab and the opened embedding file. */
    @Override
    public Map<String, Object> viewState(Path sessionFolder) {
        return PoincareSession.save(this, sessionFolder);
    }

    @Override
    public void restoreViewState(Map<String, Object> state, Path sessionFolder) {
        pendingRestore = PoincareSession.resolve(state, sessionFolder);
        Object file = pendingRestore.get(PoincareSession.OPENED);
        if (file instanceof Path p && edges != null) {
            openEmbedding(p);
        }
        applyPendingRestore();
    }

    private void applyPendingRestore() {
        if (pendingRestore == null || scene == null) {
            return;
        }
        Map<String, Object> state = pendingRestore;
        if (state.get(PoincareSession.OPENED) instanceof Path && !params.source.get().equals(PoincareParameters.OPENED)) {
            return;
        }
        pendingRestore = null;
        List<String> problems = PoincareSession.apply(state, this);
        if (!problems.isEmpty()) {
            line.problem(String.join("; ", problems));
        }
    }

    double[] rulerPoints() {
        return ruler.clone();
    }

    void restoreRuler(double[] points) {
        ruler = points.length == 4 || points.length == 2 ? points.clone() : new double[0];
        recompose();
    }

    void restoreSelection(int node, DiscView shown) {
        selected = node;
        view = shown;
        recompose();
    }

    // ---- jobs ----

    void fail(Throwable error) {
        line.fail(error);
    }

    void say(String text) {
        line.say(text);
    }

    <V> BackgroundTask<V> tracked(BackgroundTask<V> task) {
        return line.tracked(task);
    }

    /** Runs an export as a job; its problem, if any, shows as one line. */
    public <V> void runExport(String title, BackgroundTask.Body<V> body) {
        line.runExport(title, body);
    }

    /** Applies a set of parameter values at once (the lesson's buttons); a bad value changes nothing. */
    public void apply(Map<String, ?> values) {
        params.all.applyAll(values);
    }
}
