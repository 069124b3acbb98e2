package org.flowbench.views.norm;

import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import org.flowbench.views.lab.LessonPane;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The lab's window: one tab per {@link NormLabPage}, in the lab's order, and a Lesson tab whose
 * "Set this up" buttons go back to the lab. Only the selected page is told it is shown. A change
 * of tab clears the window's status line: what it said was about the page left behind (each page
 * keeps its own last line on itself).
 */
public final class NormalizationPage extends BorderPane {

    private final TabPane tabs = new TabPane();
    private final List<NormLabPage> pages;
    private final boolean[] shown;
    private boolean visible;

    NormalizationPage(List<NormLabPage> pages, Consumer<Map<String, String>> setUp, Consumer<String> status) {
        this.pages = List.copyOf(pages);
        this.shown = new boolean[pages.size()];
        setId("normalizationPage");
        tabs.setId("normalizationTabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        for (NormLabPage p : pages) {
            Tab tab = new Tab(p.title());
            tab.setId("tab-" + p.title().toLowerCase(java.util.Locale.ROOT).replace(' ', '-'));
            // each page builds its controls the first time its tab is selected
            tab.setContent(null);
            tabs.getTabs().add(tab);
        }
        Tab lesson = new Tab("Lesson", LessonPane.forLab(NormalizationLab.ID, setUp));
        lesson.setId("tab-lesson");
        tabs.getTabs().add(lesson);
        tabs.getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> {
            status.accept("");
            selectionChanged();
        });
        setCenter(tabs);
        selectionChanged();
    }

    /** The page on screen, or null when the Lesson tab is. */
    NormLabPage selectedPage() {
        int i = tabs.getSelectionModel().getSelectedIndex();
        return i >= 0 && i < pages.size() ? pages.get(i) : null;
    }

    /** Brings the page to the front. */
    void select(NormLabPage page) {
        int i = pages.indexOf(page);
        if (i >= 0) {
            tabs.getSelectionModel().select(i);
        }
    }

    TabPane tabs() {
        return tabs;
    }

    /** The lab came on screen or left it. */
    void setVisibleInWindow(boolean now) {
        visible = now;
        selectionChanged();
    }

    private void selectionChanged() {
        int selected = tabs.getSelectionModel().getSelectedIndex();
        for (int i = 0; i < pages.size(); i++) {
            boolean on = visible && i == selected;
            if (i == selected && tabs.getTabs().get(i).getContent() == null) {
                tabs.getTabs().get(i).setContent(pages.get(i).node());
            }
            if (on && !shown[i]) {
                pages.get(i).onShown();
            } else if (!on && shown[i]) {
                pages.get(i).onHidden();
            }
            shown[i] = on;
        }
    }
}
