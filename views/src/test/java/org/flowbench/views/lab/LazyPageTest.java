package org.flowbench.views.lab;

import javafx.scene.layout.Pane;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A lab's page is built on the first visit only, and hears of its life only once built. */
class LazyPageTest {

    private final List<String> events = new ArrayList<>();

    private LazyPage<Pane> lazy() {
        return new LazyPage<>(() -> {
            events.add("built");
            return new Pane();
        }, (page, active) -> events.add(active ? "shown" : "hidden"));
    }

    @Test
    void buildsOnTheFirstVisitAndKeepsThatPage() {
        LazyPage<Pane> page = lazy();
        assertThat(events).isEmpty();
        Pane first = page.get();
        assertThat(page.get()).isSameAs(first);
        assertThat(events).containsExactly("built");
    }

    @Test
    void aPageNeverVisitedIsNeitherBuiltNorToldAnything() {
        LazyPage<Pane> page = lazy();
        page.setActive(true);
        page.setActive(false);
        page.ifBuilt(p -> events.add("action"));
        assertThat(events).isEmpty();
    }

    @Test
    void aBuiltPageHearsWhenItIsShownAndHidden() {
        LazyPage<Pane> page = lazy();
        Pane built = page.get();
        page.setActive(false);
        page.setActive(true);
        page.ifBuilt(p -> events.add(p == built ? "action on the page" : "action elsewhere"));
        assertThat(events).containsExactly("built", "hidden", "shown", "action on the page");
    }
}
