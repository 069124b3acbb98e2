package org.flowbench.views.layout;

import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Accordion;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.Control;
import javafx.scene.control.Labeled;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TitledPane;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.text.Text;
import javafx.stage.Stage;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds what a user would see as broken layout in any node's scene graph, with every tab of every
 * tab pane and every section of every accordion shown in turn: a labelled control whose text is cut or ellipsised, a button narrower
 * than its label, and a control sticking out of its parent or out of the area the user can see
 * (a scroll pane's content may extend beyond its viewport: that is what scrolling is for; the
 * cells of lists and tables are the lists' business).
 *
 * <p>With the node in a shown window, {@code LayoutCheck.problemsAt(stage, 1280, 800, root)}
 * (from the test thread) resizes the window, lays it out and returns one line per problem (empty
 * when the layout is clean); {@link #problems} and {@link #problemsWithEveryTab} check the
 * layout as it stands, on the FX thread.
 */
public final class LayoutCheck {

    /** Pixels a child may stick out before it counts (rounding and snapping). */
    private static final double SLACK = 1.5;

    private LayoutCheck() {
    }

    /**
     * Sizes the stage's scene to {@code width x height}, waits until the window has taken that
     * size (window systems resize asynchronously), then checks {@code root} with every tab and
     * section shown in turn. Call it from the test thread, not the FX thread.
     */
    public static List<String> problemsAt(Stage stage, double width, double height, Node root) {
        if (javafx.application.Platform.isFxApplicationThread()) {
            throw new IllegalStateException("call problemsAt from the test thread: the window resizes between FX events");
        }
        onFx(() -> {
            // a maximized or full-screen window keeps the screen's size
            stage.setFullScreen(false);
            stage.setMaximized(false);
            stage.setWidth(width + (stage.getWidth() - stage.getScene().getWidth()));
            stage.setHeight(height + (stage.getHeight() - stage.getScene().getHeight()));
            return null;
        });
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline && !onFx(() -> Math.abs(stage.getScene().getWidth() - width) <= 2
                && Math.abs(stage.getScene().getHeight() - height) <= 2)) {
            org.testfx.util.WaitForAsyncUtils.sleep(20, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return onFx(() -> {
            settle(root);
            List<String> problems = new ArrayList<>();
            double shownWidth = stage.getScene().getWidth();
            double shownHeight = stage.getScene().getHeight();
            if (Math.abs(shownWidth - width) > 2 || Math.abs(shownHeight - height) > 2) {
                problems.add(String.format(java.util.Locale.ROOT,
                        "the window shows %.0fx%.0f, not %.0fx%.0f (a minimum size, or a screen too small?)",
                        shownWidth, shownHeight, width, height));
            }
            for (String p : problemsWithEveryTab(root)) {
                problems.add((int) width + "x" + (int) height + ": " + p);
            }
            return problems;
        });
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> action) {
        try {
            return org.testfx.util.WaitForAsyncUtils.asyncFx(action).get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checks {@code root} as laid out now, then once more with each tab of each tab pane selected (the selection is restored). */
    public static List<String> problemsWithEveryTab(Node root) {
        List<String> problems = new ArrayList<>(problems(root));
        for (TabPane pane : tabPanes(root)) {
            Tab before = pane.getSelectionModel().getSelectedItem();
            for (Tab tab : pane.getTabs()) {
                if (tab == before || tab.isDisabled()) {
                    continue;
                }
                pane.getSelectionModel().select(tab);
                settle(root);
                for (String p : problems(root)) {
                    String tagged = "[tab " + tab.getText() + "] " + p;
                    if (!problems.contains(tagged) && !problems.contains(p)) {
                        problems.add(tagged);
                    }
                }
            }
            pane.getSelectionModel().select(before);
            settle(root);
        }
        for (Accordion accordion : accordions(root)) {
            TitledPane before = accordion.getExpandedPane();
            for (TitledPane pane : accordion.getPanes()) {
                boolean animated = pane.isAnimated();
                pane.setAnimated(false);
                accordion.setExpandedPane(pane);
                settle(root);
                for (String p : problems(root)) {
                    String tagged = "[section " + pane.getText() + "] " + p;
                    if (!problems.contains(tagged) && !problems.contains(p)) {
                        problems.add(tagged);
                    }
                }
                pane.setAnimated(animated);
            }
            accordion.setExpandedPane(before);
            settle(root);
        }
        return problems;
    }

    /** Checks {@code root} as laid out now (visible nodes only). */
    public static List<String> problems(Node root) {
        List<String> problems = new ArrayList<>();
        Bounds window = root.getScene() == null ? null
                : new javafx.geometry.BoundingBox(0, 0, root.getScene().getWidth(), root.getScene().getHeight());
        walk(root, window, false, problems);
        return problems;
    }

    private static void settle(Node root) {
        for (int i = 0; i < 3; i++) {
            root.applyCss();
            if (root instanceof Parent parent) {
                parent.layout();
            }
            if (root.getScene() != null) {
                root.getScene().getRoot().applyCss();
                root.getScene().getRoot().layout();
            }
        }
    }

    private static List<Accordion> accordions(Node root) {
        List<Accordion> found = new ArrayList<>();
        for (Node node : root.lookupAll(".accordion")) {
            if (node instanceof Accordion accordion && node.isVisible()) {
                found.add(accordion);
            }
        }
        return found;
    }

    private static List<TabPane> tabPanes(Node root) {
        List<TabPane> found = new ArrayList<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        collectTabPanes(root, found, seen);
        return found;
    }

    private static void collectTabPanes(Node node, List<TabPane> found, Map<Node, Boolean> seen) {
        if (seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof TabPane pane) {
            found.add(pane);
            for (Tab tab : pane.getTabs()) {
                if (tab.getContent() != null) {
                    collectTabPanes(tab.getContent(), found, seen);
                }
            }
        }
        if (node instanceof Parent parent) {
            for (Node child : parent.getChildrenUnmodifiable()) {
                collectTabPanes(child, found, seen);
            }
        }
    }

    /**
     * @param visibleArea the part of the scene the user can see around this node (scene coordinates)
     * @param inCells     inside a list's or table's cells
     */
    private static void walk(Node node, Bounds visibleArea, boolean inCells, List<String> problems) {
        if (!node.isVisible() || node.getOpacity() == 0) {
            return;
        }
        Bounds inScene = node.localToScene(node.getLayoutBounds());
        if (node instanceof Control && !inCells && visibleArea != null && node.getParent() != null && isLaidOutByPane(node)
                && inScene.getWidth() > 0 && inScene.getHeight() > 0) {
            if (inScene.getMinX() < visibleArea.getMinX() - SLACK || inScene.getMaxX() > visibleArea.getMaxX() + SLACK
                    || inScene.getMinY() < visibleArea.getMinY() - SLACK || inScene.getMaxY() > visibleArea.getMaxY() + SLACK) {
                problems.add(describe(node) + " lies outside the visible area: " + round(inScene) + " not inside " + round(visibleArea));
            }
            Bounds parent = node.getParent().localToScene(node.getParent().getLayoutBounds());
            if (!(node.getParent() instanceof javafx.scene.Group) && (inScene.getMaxX() > parent.getMaxX() + SLACK
                    || inScene.getMaxY() > parent.getMaxY() + SLACK || inScene.getMinX() < parent.getMinX() - SLACK
                    || inScene.getMinY() < parent.getMinY() - SLACK)) {
                problems.add(describe(node) + " sticks out of its parent " + describe(node.getParent()) + ": "
                        + round(inScene) + " vs " + round(parent));
            }
        }
        if (node instanceof Labeled labeled && !inCells) {
            checkLabel(labeled, problems);
        }
        Bounds childArea = visibleArea;
        boolean childCells = inCells || node instanceof VirtualFlow;
        if (node instanceof ScrollPane scroll) {
            // content scrolls by design; what must be visible is the viewport
            Node viewport = scroll.lookup(".viewport");
            childArea = viewport == null ? inScene : viewport.localToScene(viewport.getLayoutBounds());
            if (scroll.getContent() != null) {
                walkScrolled(scroll.getContent(), childArea, childCells, problems);
            }
            return;
        }
        if (visibleArea != null && node.getClip() != null) {
            childArea = intersect(visibleArea, node.localToScene(node.getClip().getBoundsInParent()));
        }
        if (node instanceof Parent parent) {
            for (Node child : parent.getChildrenUnmodifiable()) {
                walk(child, childArea, childCells, problems);
            }
        }
    }

    /** Inside a scroll pane: labels are checked, positions are not (the content moves). */
    private static void walkScrolled(Node node, Bounds viewport, boolean inCells, List<String> problems) {
        if (!node.isVisible()) {
            return;
        }
        if (node instanceof Labeled labeled && !inCells) {
            checkLabel(labeled, problems);
        }
        if (node instanceof Control control && !inCells && node.getParent() != null && isLaidOutByPane(node)) {
            // sideways the column must fit the viewport (vertical scrolling is fine)
            Bounds b = control.localToScene(control.getLayoutBounds());
            if (b.getWidth() > 0 && (b.getMaxX() > viewport.getMaxX() + SLACK || b.getMinX() < viewport.getMinX() - SLACK)) {
                problems.add(describe(node) + " is cut at the side of its scroll pane: " + round(b) + " vs " + round(viewport));
            }
        }
        if (node instanceof ScrollPane) {
            walk(node, viewport, inCells, problems);
            return;
        }
        if (node instanceof Parent parent) {
            boolean cells = inCells || node instanceof VirtualFlow;
            for (Node child : parent.getChildrenUnmodifiable()) {
                walkScrolled(child, viewport, cells, problems);
            }
        }
    }

    /** A control placed by a layout pane (not a part of another control's skin, which the control positions itself). */
    private static boolean isLaidOutByPane(Node node) {
        for (Parent p = node.getParent(); p != null; p = p.getParent()) {
            if (p instanceof Control) {
                // inside a control's skin: only the direct content of scroll panes, tab panes and split panes counts
                return p instanceof ScrollPane || p instanceof TabPane || p instanceof javafx.scene.control.SplitPane
                        || p instanceof javafx.scene.control.TitledPane;
            }
            if (p.getStyleClass().contains("tab-content-area") || p.getStyleClass().contains("split-pane-divider")) {
                return true;
            }
        }
        return true;
    }

    private static void checkLabel(Labeled labeled, List<String> problems) {
        String text = labeled.getText();
        if (text == null || text.isBlank() || labeled.getWidth() <= 0 || labeled.getHeight() <= 0) {
            return;
        }
        Text shown = null;
        for (Node child : labeled.getChildrenUnmodifiable()) {
            if (child instanceof Text t) {
                shown = t;
            }
        }
        if (shown == null && labeled instanceof TitledPane) {
            for (Node title : labeled.getChildrenUnmodifiable()) {
                if (title.getStyleClass().contains("title") && title instanceof Parent titleRegion) {
                    for (Node child : titleRegion.getChildrenUnmodifiable()) {
                        if (child instanceof Text t) {
                            shown = t;
                        }
                    }
                }
            }
        }
        if (shown == null) {
            // some controls (menu buttons) draw their text with a label of their own, checked on its own
            for (Node inner : labeled.lookupAll(".label")) {
                if (inner != labeled && inner instanceof Labeled l && text.equals(l.getText())) {
                    return;
                }
            }
            if (labeled.getContentDisplay() != javafx.scene.control.ContentDisplay.GRAPHIC_ONLY) {
                problems.add(describe(labeled) + " shows none of its text \"" + text + "\"");
            }
            return;
        }
        String visible = shown.getText() == null ? "" : shown.getText();
        String plain = text.replaceAll("\\s+", " ").strip();
        String drawn = visible.replaceAll("\\s+", " ").strip();
        if (!drawn.equals(plain)) {
            problems.add(describe(labeled) + " is cut: shows \"" + abbreviate(drawn) + "\" of \"" + abbreviate(plain) + "\"");
            return;
        }
        if (labeled instanceof ButtonBase && !labeled.isWrapText()) {
            double room = labeled.getWidth() - labeled.snappedLeftInset() - labeled.snappedRightInset();
            double needed = shown.getLayoutBounds().getWidth();
            if (labeled.getGraphic() != null && labeled.getGraphic().isVisible()) {
                needed += labeled.getGraphic().getLayoutBounds().getWidth() + labeled.getGraphicTextGap();
            }
            if (needed > room + SLACK) {
                problems.add(describe(labeled) + " is narrower (" + Math.round(room) + " px inside) than its label ("
                        + Math.round(needed) + " px)");
            }
        }
        // a label drawn outside its own box is cut by whatever lies beside it
        Bounds textBox = labeled.sceneToLocal(shown.localToScene(shown.getLayoutBounds()));
        if (textBox.getMaxX() > labeled.getWidth() + SLACK || textBox.getMinX() < -SLACK) {
            problems.add(describe(labeled) + " draws its text beyond its own width (" + Math.round(textBox.getWidth())
                    + " px of text in " + Math.round(labeled.getWidth()) + " px)");
        }
    }

    private static Bounds intersect(Bounds a, Bounds b) {
        double minX = Math.max(a.getMinX(), b.getMinX());
        double minY = Math.max(a.getMinY(), b.getMinY());
        double maxX = Math.min(a.getMaxX(), b.getMaxX());
        double maxY = Math.min(a.getMaxY(), b.getMaxY());
        return new javafx.geometry.BoundingBox(minX, minY, Math.max(0, maxX - minX), Math.max(0, maxY - minY));
    }

    static String describe(Node node) {
        String kind = node.getClass().getSimpleName();
        String id = node.getId() == null ? "" : "#" + node.getId();
        String text = node instanceof Labeled l && l.getText() != null && !l.getText().isBlank()
                ? " \"" + abbreviate(l.getText()) + "\"" : "";
        if (node instanceof Button || !text.isEmpty() || !id.isEmpty()) {
            return kind + id + text;
        }
        Parent p = node.getParent();
        return kind + (p == null ? "" : " in " + p.getClass().getSimpleName() + (p.getId() == null ? "" : "#" + p.getId()));
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    private static String round(Bounds b) {
        return String.format(java.util.Locale.ROOT, "[%.0f, %.0f .. %.0f, %.0f]", b.getMinX(), b.getMinY(), b.getMaxX(), b.getMaxY());
    }
}
