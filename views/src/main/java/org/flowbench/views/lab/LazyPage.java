package org.flowbench.views.lab;

import javafx.scene.Node;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A lab's page, built on the lab's first {@link Lab#view()} and the same on every visit after.
 * What the shell says about the page's life (shown, hidden, closed) reaches it only once it is
 * built: a lab never shown has no page to start or stop.
 *
 * @param <P> the lab's page
 */
public final class LazyPage<P extends Node> {

    private final Supplier<P> build;
    private final BiConsumer<P, Boolean> setActive;
    private P page;

    /**
     * @param build     makes the page (on the FX thread, on the first visit)
     * @param setActive tells the page whether it is on screen (timers and animations run only while it is)
     */
    public LazyPage(Supplier<P> build, BiConsumer<P, Boolean> setActive) {
        this.build = Objects.requireNonNull(build, "build");
        this.setActive = Objects.requireNonNull(setActive, "setActive");
    }

    /** The page, built now if this is the first visit. */
    public P get() {
        if (page == null) {
            page = build.get();
        }
        return page;
    }

    /** Tells a built page that it came on screen ({@code true}) or left it. */
    public void setActive(boolean active) {
        if (page != null) {
            setActive.accept(page, active);
        }
    }

    /** Runs {@code action} on the page if it has been built. */
    public void ifBuilt(Consumer<P> action) {
        if (page != null) {
            action.accept(page);
        }
    }
}
