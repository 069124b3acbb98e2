package org.flowbench.views.kitdemo;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.Node;
import javafx.scene.layout.BorderPane;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureCanvas;
import org.flowbench.views.figure.FigureSpec;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.LatestJobSlot;
import org.flowbench.views.lab.Lab;
import org.flowbench.views.lab.LabContext;
import org.flowbench.views.lab.LabDescriptor;
import org.flowbench.views.params.LabParameters;
import org.flowbench.views.params.Parameter;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Optional;

/**
 * The smallest lab the kit can host, written the way a new lab is: its own package, a view
 * model with parameters and a job, a page, a figure with --set keys, a lesson file. It draws n
 * dots on a circle. Nothing outside this package knows it.
 */
public final class KitDemoLab implements Lab {

    public static final String ID = "kit-demo";

    private final Parameter<Integer> dots = Parameter.integer("dots", "Dots", "Drawing", "How many dots on the circle", 8, 1, 500);
    private final LabParameters parameters = new LabParameters(List.of(dots));
    private final ReadOnlyObjectWrapper<Figure> figure = new ReadOnlyObjectWrapper<>();
    private final LabContext context;
    private final LatestJobSlot drawing;
    private BorderPane page;
    int shown;
    boolean closed;

    KitDemoLab(LabContext context) {
        this.context = context;
        this.drawing = new LatestJobSlot(context.executor(), context.later());
        dots.valueProperty().addListener((obs, before, now) -> redraw());
        context.theme().addListener((obs, before, now) -> redraw());
        redraw();
    }

    /** The lab list's entry. */
    public static LabDescriptor descriptor() {
        return new LabDescriptor(ID, "Kit demo", KitDemoLab::new, List.of(new FigureSpec("kit-demo-dots", "n dots on a circle",
                400, 400, List.of(new FigureSpec.Parameter("dots", "8", "how many dots")),
                (values, theme) -> new Dots(values.integer("dots", 1, 500), theme))));
    }

    private void redraw() {
        int n = dots.get();
        FigureTheme theme = context.theme().getValue();
        drawing.request(() -> BackgroundTask.<Figure>of("Draw " + n + " dots", ctx -> new Dots(n, theme)).onSuccess(figure::set));
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Kit demo";
    }

    @Override
    public Node view() {
        if (page == null) {
            FigureCanvas canvas = new FigureCanvas();
            canvas.figureProperty().bind(figure);
            page = new BorderPane(canvas);
            page.setId("kitDemoPage");
        }
        return page;
    }

    @Override
    public LabParameters parameters() {
        return parameters;
    }

    @Override
    public Optional<Figure> currentFigure() {
        return Optional.ofNullable(figure.get());
    }

    @Override
    public void onShown() {
        shown++;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The figure: n dots evenly on a circle. */
    record Dots(int n, FigureTheme theme) implements Figure {
        @Override
        public void paint(Graphics2D g, Rectangle2D area) {
            g.setColor(theme == FigureTheme.DARK ? Color.WHITE : Color.BLACK);
            double r = 0.4 * Math.min(area.getWidth(), area.getHeight());
            for (int i = 0; i < n; i++) {
                double a = 2 * Math.PI * i / n;
                g.fill(new Ellipse2D.Double(area.getCenterX() + r * Math.cos(a) - 4, area.getCenterY() + r * Math.sin(a) - 4, 8, 8));
            }
        }

        @Override
        public String title() {
            return n + " dots";
        }
    }
}
