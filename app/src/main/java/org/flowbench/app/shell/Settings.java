package org.flowbench.app.shell;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * What Flowbench remembers between runs: window bounds, theme, zoom, recent files and the
 * compute device. Stored with java.util.prefs under a node that tests can redirect with the
 * system property {@code flowbench.settings.node}.
 */
public final class Settings {

    public static final int MAX_RECENT = 8;
    private static final String DEFAULT_NODE = "/org/flowbench/app";

    private final Preferences prefs;

    public Settings(Preferences prefs) {
        this.prefs = prefs;
    }

    public static Settings load() {
        return new Settings(Preferences.userRoot().node(System.getProperty("flowbench.settings.node", DEFAULT_NODE)));
    }

    /** Window bounds, or null when none were saved yet. */
    public double[] windowBounds() {
        double w = prefs.getDouble("window.width", -1);
        double h = prefs.getDouble("window.height", -1);
        if (w < 200 || h < 150) {
            return null;
        }
        return new double[] {prefs.getDouble("window.x", Double.NaN), prefs.getDouble("window.y", Double.NaN), w, h,
                prefs.getBoolean("window.maximized", false) ? 1 : 0};
    }

    public void saveWindowBounds(double x, double y, double width, double height, boolean maximized) {
        prefs.putDouble("window.x", x);
        prefs.putDouble("window.y", y);
        prefs.putDouble("window.width", width);
        prefs.putDouble("window.height", height);
        prefs.putBoolean("window.maximized", maximized);
    }

    public boolean darkTheme() {
        return prefs.getBoolean("theme.dark", false);
    }

    public void setDarkTheme(boolean dark) {
        prefs.putBoolean("theme.dark", dark);
    }

    public double zoom() {
        double zoom = prefs.getDouble("view.zoom", 1.0);
        return Double.isFinite(zoom) && zoom >= 0.5 && zoom <= 3 ? zoom : 1.0;
    }

    public void setZoom(double zoom) {
        prefs.putDouble("view.zoom", zoom);
    }

    public String device() {
        return prefs.get("compute.device", "");
    }

    public void setDevice(String device) {
        prefs.put("compute.device", device);
    }

    public List<Path> recentFiles() {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < MAX_RECENT; i++) {
            String p = prefs.get("recent." + i, null);
            if (p != null && !p.isBlank()) {
                files.add(Path.of(p));
            }
        }
        return files;
    }

    /** Puts {@code file} first in the recent list, without duplicates, at most {@link #MAX_RECENT}. */
    public void addRecentFile(Path file) {
        List<Path> files = new ArrayList<>(recentFiles());
        Path absolute = file.toAbsolutePath().normalize();
        files.remove(absolute);
        files.add(0, absolute);
        for (int i = 0; i < MAX_RECENT; i++) {
            if (i < files.size()) {
                prefs.put("recent." + i, files.get(i).toString());
            } else {
                prefs.remove("recent." + i);
            }
        }
    }

    public void flush() {
        try {
            prefs.flush();
        } catch (BackingStoreException e) {
            // Preferences are a convenience; failing to persist them must not stop the app.
        }
    }
}
