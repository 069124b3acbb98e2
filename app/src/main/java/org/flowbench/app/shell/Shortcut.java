package org.flowbench.app.shell;

import javafx.scene.input.KeyCombination;

import java.util.List;

/** A keyboard shortcut as the Help > Keyboard shortcuts table lists it (bean getters for the table). */
public final class Shortcut {

    static final KeyCombination OPEN_CHECKPOINT = KeyCombination.keyCombination("Shortcut+O");
    static final KeyCombination IMPORT_CHECKPOINT = KeyCombination.keyCombination("Shortcut+I");
    static final KeyCombination OPEN_SESSION = KeyCombination.keyCombination("Shortcut+Shift+O");
    static final KeyCombination SAVE_SESSION = KeyCombination.keyCombination("Shortcut+S");
    static final KeyCombination SAVE_SESSION_AS = KeyCombination.keyCombination("Shortcut+Shift+S");
    static final KeyCombination EXPORT_FIGURE = KeyCombination.keyCombination("Shortcut+E");
    static final KeyCombination QUIT = KeyCombination.keyCombination("Shortcut+Q");
    static final KeyCombination TOGGLE_THEME = KeyCombination.keyCombination("Shortcut+T");
    static final KeyCombination ZOOM_IN = KeyCombination.keyCombination("Shortcut+Equals");
    static final KeyCombination ZOOM_OUT = KeyCombination.keyCombination("Shortcut+Minus");
    static final KeyCombination ZOOM_RESET = KeyCombination.keyCombination("Shortcut+0");
    static final KeyCombination SHORTCUTS = KeyCombination.keyCombination("F1");

    static final List<Shortcut> ALL = List.of(
            new Shortcut(OPEN_CHECKPOINT, "Open checkpoint"),
            new Shortcut(IMPORT_CHECKPOINT, "Import a PyTorch checkpoint"),
            new Shortcut(OPEN_SESSION, "Open session"),
            new Shortcut(SAVE_SESSION, "Save session"),
            new Shortcut(SAVE_SESSION_AS, "Save session as"),
            new Shortcut(EXPORT_FIGURE, "Export the figure on screen"),
            new Shortcut(TOGGLE_THEME, "Switch light / dark theme"),
            new Shortcut(ZOOM_IN, "Zoom in"),
            new Shortcut(ZOOM_OUT, "Zoom out"),
            new Shortcut(ZOOM_RESET, "Actual size"),
            new Shortcut(KeyCombination.keyCombination("Shortcut+1"), "Go to lab 1 (Ctrl+1 ... Ctrl+4)"),
            new Shortcut("Space", "Play / pause the lab's timeline"),
            new Shortcut("Left / Right", "Step back / forward one solver step"),
            new Shortcut("Home / End", "Jump to the start / end of the timeline"),
            new Shortcut("+ / \u2212", "Zoom the plots in / out (also the mouse wheel)"),
            new Shortcut("0", "Reset the plots' zoom and pan (also a double click)"),
            new Shortcut("Shift + drag", "Sketch target points on a plot"),
            new Shortcut(SHORTCUTS, "This list"),
            new Shortcut(QUIT, "Quit"));

    private final String keys;
    private final String action;

    private Shortcut(KeyCombination keys, String action) {
        this(keys.getDisplayText(), action);
    }

    /** Keys handled by a lab's page (they act on the page that has the keyboard, not the whole window). */
    private Shortcut(String keys, String action) {
        this.keys = keys;
        this.action = action;
    }

    public String getKeys() {
        return keys;
    }

    public String getAction() {
        return action;
    }
}
