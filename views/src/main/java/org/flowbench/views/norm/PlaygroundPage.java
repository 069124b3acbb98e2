package org.flowbench.views.norm;

import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureCanvas;
import org.flowbench.views.lab.LabContext;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the two playground tabs (Norm layers, Scale invariance) share: the settings column on the
 * left, a bar of view toggles above the figure, the status line (the problem in red when there is
 * one) with an "Export CSV..." button below it, computing only once the tab is first shown, and
 * the tab's set-ups, session state and close handed to its {@link PlaygroundModel}. A tab gives
 * its settings column and the table behind a figure.
 *
 * @param <V> the tab's views
 * @param <F> the figure of one view
 * @param <M> the tab's view model
 */
abstract class PlaygroundPage<V extends PlaygroundView, F extends Figure, M extends PlaygroundModel<V, F>>
        implements NormLabPage {

    /**
     * A tab's names: its title, the ids of its canvas, status line and CSV button (tests and the
     * layout check look them up), the CSV button's tooltip, and the status line when there is no
     * table to export.
     */
    record Names(String title, String canvasId, String statusId, String csvButtonId, String csvHelp, String noTable) {
    }

    private final LabContext context;
    private final M model;
    private final Names names;
    private final List<V> viewChoices;
    private final BorderPane root = new BorderPane();
    private final FigureCanvas canvas = new FigureCanvas();
    private final ToggleGroup views = new ToggleGroup();
    /** The controls are made on the first call to {@link #node()}: the view model works without a JavaFX toolkit. */
    private boolean built;
    private boolean started;

    PlaygroundPage(LabContext context, M model, Names names, List<V> viewChoices) {
        this.context = context;
        this.model = model;
        this.names = names;
        this.viewChoices = List.copyOf(viewChoices);
    }

    /** The settings column on the left; called once, when the page is first built. */
    abstract Node settingsColumn();

    /** The CSV table behind {@code figure}'s view, or null when it has none. */
    abstract String table(F figure);

    /** The file name (without .csv) the export suggests for {@code figure}. */
    abstract String tableName(F figure);

    /** Whether "Export CSV..." is off: by default while there is no figure. */
    ObservableValue<Boolean> csvDisabled() {
        return model.figureProperty().isNull();
    }

    /** What the view bar shows after the view toggles; nothing by default. */
    List<Node> viewBarExtras() {
        return List.of();
    }

    /**
     * The first time the tab comes on screen its computation starts; until then the lab's opening
     * (the Depth tab and its sample runs) has the processor to itself.
     */
    @Override
    public void onShown() {
        if (!started) {
            started = true;
            model.runAll();
        }
    }

    M model() {
        return model;
    }

    FigureCanvas canvas() {
        return canvas;
    }

    /** The page's outermost pane. */
    BorderPane root() {
        return root;
    }

    private void build() {
        root.setLeft(settingsColumn());

        // wraps onto a second row on narrow pages rather than pushing the figure off the page
        FlowPane viewBar = new FlowPane(4, 4);
        viewBar.setPadding(new Insets(8, 8, 4, 8));
        viewBar.setAlignment(Pos.CENTER_LEFT);
        viewBar.setMinWidth(0);
        for (V v : viewChoices) {
            ToggleButton b = new ToggleButton(v.label());
            b.setId("view-" + v.id());
            b.setUserData(v);
            b.setToggleGroup(views);
            b.setTooltip(new Tooltip(v.help()));
            b.setMinWidth(Region.USE_PREF_SIZE);
            viewBar.getChildren().add(b);
        }
        viewBar.getChildren().addAll(viewBarExtras());
        selectToggle(model.viewProperty().get());
        views.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null) {
                // a view is always chosen: clicking the selected one keeps it
                selectToggle(model.viewProperty().get());
            } else {
                @SuppressWarnings("unchecked")
                V chosen = (V) now.getUserData();
                model.setView(chosen);
            }
        });
        model.viewProperty().addListener((obs, old, now) -> selectToggle(now));

        canvas.setId(names.canvasId());
        canvas.figureProperty().bind(model.figureProperty());
        VBox.setVgrow(canvas, Priority.ALWAYS);
        root.setCenter(new VBox(viewBar, canvas));

        Label status = new Label();
        status.setId(names.statusId());
        status.setWrapText(true);
        status.textProperty().bind(Bindings.createStringBinding(
                () -> model.problemProperty().get() != null ? model.problemProperty().get() : model.statusProperty().get(),
                model.problemProperty(), model.statusProperty()));
        status.styleProperty().bind(Bindings.when(model.problemProperty().isNotNull())
                .then("-fx-text-fill: #cf222e;").otherwise(""));
        status.setMaxWidth(Double.MAX_VALUE);
        status.setMinHeight(Region.USE_PREF_SIZE);
        HBox.setHgrow(status, Priority.ALWAYS);
        Button csv = new Button("Export CSV\u2026");
        csv.setId(names.csvButtonId());
        csv.setMinWidth(Region.USE_PREF_SIZE);
        csv.setTooltip(new Tooltip(names.csvHelp()));
        csv.disableProperty().bind(csvDisabled());
        csv.setOnAction(e -> exportCsv());
        HBox bottom = new HBox(8, status, csv);
        bottom.setAlignment(Pos.CENTER_LEFT);
        bottom.setPadding(new Insets(4, 8, 8, 8));
        root.setBottom(bottom);
    }

    private void selectToggle(V v) {
        for (var t : views.getToggles()) {
            if (t.getUserData() == v && !t.isSelected()) {
                t.setSelected(true);
            }
        }
    }

    /** Asks where to save the current view's table and writes it atomically; a failure shows on the status line. */
    void exportCsv() {
        F f = model.figureProperty().get();
        String table = f == null ? null : table(f);
        if (table == null) {
            context.status().accept(names.noTable());
            return;
        }
        TableExport.save(context, tableName(f), table);
    }

    @Override
    public String title() {
        return names.title();
    }

    @Override
    public Node node() {
        if (!built) {
            build();
            built = true;
        }
        return root;
    }

    @Override
    public Optional<Figure> currentFigure() {
        return Optional.ofNullable(model.figureProperty().get());
    }

    @Override
    public void applySetup(Map<String, String> setup) {
        model.applySetup(setup);
    }

    @Override
    public Map<String, Object> viewState(Path sessionFolder) {
        return model.viewState();
    }

    @Override
    public void restoreViewState(Map<String, Object> state, Path sessionFolder) {
        model.restoreViewState(state);
    }

    @Override
    public void close() {
        model.close();
    }
}
