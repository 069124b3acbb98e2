package org.flowbench.app.shell;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Parent;

import java.net.URL;
import java.util.Locale;

/** Light or dark stylesheet and the zoom factor (a root font size every size in the CSS follows). */
public final class Theme {

    static final double MIN_ZOOM = 0.75;
    static final double MAX_ZOOM = 2.0;
    private static final double BASE_FONT_PX = 13;

    private final Parent root;
    private final Settings settings;
    private final BooleanProperty dark = new SimpleBooleanProperty(this, "dark");
    private double zoom;

    public Theme(Parent root, Settings settings) {
        this.root = root;
        this.settings = settings;
        this.dark.set(settings.darkTheme());
        this.zoom = settings.zoom();
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
        return zoom;
    }

    public void zoomBy(double factor) {
        setZoom(zoom * factor);
    }

    public void setZoom(double value) {
        zoom = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, value));
        settings.setZoom(zoom);
        apply();
    }

    public void apply() {
        root.getStylesheets().setAll(stylesheet("base.css"), stylesheet(dark.get() ? "dark.css" : "light.css"));
        root.setStyle(String.format(Locale.ROOT, "-fx-font-size: %.1fpx;", BASE_FONT_PX * zoom));
    }

    private static String stylesheet(String name) {
        URL url = Theme.class.getResource("/assets/css/" + name);
        if (url == null) {
            throw new IllegalStateException("stylesheet assets/css/" + name + " is missing from the build");
        }
        return url.toExternalForm();
    }
}
