package org.flowbench.app.shell;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Parent;

import java.net.URL;
import java.util.Locale;

/**
 * Light or dark stylesheet and the zoom factor (a root font size every size in the CSS follows;
 * the application hands the same factor to the figures as their display scale).
 */
public final class Theme {

    static final double MIN_ZOOM = 0.75;
    static final double MAX_ZOOM = 2.0;
    private static final double BASE_FONT_PX = 13;

    private final Parent root;
    private final Settings settings;
    private final BooleanProperty dark = new SimpleBooleanProperty(this, "dark");
    private final ReadOnlyDoubleWrapper zoom = new ReadOnlyDoubleWrapper(this, "zoom");

    public Theme(Parent root, Settings settings) {
        this.root = root;
        this.settings = settings;
        this.dark.set(settings.darkTheme());
        this.zoom.set(settings.zoom());
        dark.addListener((obs, old, now) -> {
            settings.setDarkTheme(now);
            apply();
        });
    }

    public BooleanProperty darkProperty() {
        return dark;
    }

    public boolean isDark() {
        return dark.get();
    }

    public double zoom() {
        return zoom.get();
    }

    /** The zoom factor, 1 at actual size; figures on screen follow it. */
    public ReadOnlyDoubleProperty zoomProperty() {
        return zoom.getReadOnlyProperty();
    }

    public void zoomBy(double factor) {
        setZoom(zoom() * factor);
    }

    public void setZoom(double value) {
        zoom.set(Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, value)));
        settings.setZoom(zoom());
        apply();
    }

    public void apply() {
        root.getStylesheets().setAll(stylesheet("base.css"), stylesheet(dark.get() ? "dark.css" : "light.css"));
        root.setStyle(String.format(Locale.ROOT, "-fx-font-size: %.1fpx;", BASE_FONT_PX * zoom()));
    }

    private static String stylesheet(String name) {
        URL url = Theme.class.getResource("/assets/css/" + name);
        if (url == null) {
            throw new IllegalStateException("stylesheet assets/css/" + name + " is missing from the build");
        }
        return url.toExternalForm();
    }
}
