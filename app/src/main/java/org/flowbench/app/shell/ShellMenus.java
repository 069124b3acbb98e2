package org.flowbench.app.shell;

import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.ToggleGroup;
import org.flowbench.compute.device.DeviceInfo;
import org.flowbench.views.device.DeviceSelection;
import javafx.scene.input.KeyCombination;

import java.nio.file.Path;
import java.util.List;

/** The menu bar: File, View, Help, each item bound to a {@link ShellActions} method and a shortcut. */
final class ShellMenus {

    private final ShellActions actions;
    private final Settings settings;
    private final DeviceSelection devices;

    ShellMenus(ShellActions actions, Settings settings, DeviceSelection devices) {
        this.actions = actions;
        this.settings = settings;
        this.devices = devices;
    }

    MenuBar menuBar() {
        MenuBar bar = new MenuBar(fileMenu(), viewMenu(), helpMenu());
        bar.setId("menuBar");
        return bar;
    }

    private Menu fileMenu() {
        Menu recent = new Menu("Recent files");
        recent.setId("recentMenu");
        // Filled each time the File menu opens, so it always shows the current list.
        recent.getItems().add(new MenuItem("(none)"));
        Menu file = new Menu("File", null,
                item("Open checkpoint\u2026", "menuOpenCheckpoint", Shortcut.OPEN_CHECKPOINT, actions::openCheckpoint),
                item("Import checkpoint\u2026", "menuImportCheckpoint", Shortcut.IMPORT_CHECKPOINT, actions::importCheckpoint),
                item("Open session\u2026", "menuOpenSession", Shortcut.OPEN_SESSION, actions::openSession),
                recent,
                new SeparatorMenuItem(),
                item("Save session", "menuSaveSession", Shortcut.SAVE_SESSION, actions::saveSession),
                item("Save session as\u2026", "menuSaveSessionAs", Shortcut.SAVE_SESSION_AS, actions::saveSessionAs),
                new SeparatorMenuItem(),
                item("Export figure\u2026", "menuExportFigure", Shortcut.EXPORT_FIGURE, actions::exportFigure),
                new SeparatorMenuItem(),
                item("Quit", "menuQuit", Shortcut.QUIT, actions::quit));
        file.setId("fileMenu");
        file.setOnShowing(e -> fillRecent(recent));
        return file;
    }

    private void fillRecent(Menu recent) {
        List<Path> files = settings.recentFiles();
        recent.getItems().clear();
        if (files.isEmpty()) {
            MenuItem none = new MenuItem("(none)");
            none.setDisable(true);
            recent.getItems().add(none);
            return;
        }
        for (Path path : files) {
            MenuItem entry = new MenuItem(path.getFileName() + "  \u2014  " + path.getParent());
            entry.setMnemonicParsing(false);
            entry.setOnAction(e -> actions.openFile(path));
            recent.getItems().add(entry);
        }
    }

    private Menu viewMenu() {
        CheckMenuItem dark = new CheckMenuItem("Dark theme");
        dark.setId("menuDarkTheme");
        dark.setAccelerator(Shortcut.TOGGLE_THEME);
        dark.setSelected(actions.theme().isDark());
        dark.setOnAction(e -> {
            if (dark.isSelected() != actions.theme().isDark()) {
                actions.toggleTheme();
            }
        });
        actions.theme().darkProperty().addListener((obs, old, now) -> dark.setSelected(now));
        Menu device = new Menu("Compute device");
        device.setId("deviceMenu");
        device.getItems().add(new MenuItem("(looking for devices\u2026)"));
        Menu view = new Menu("View", null,
                dark,
                device,
                new SeparatorMenuItem(),
                item("Zoom in", "menuZoomIn", Shortcut.ZOOM_IN, actions::zoomIn),
                item("Zoom out", "menuZoomOut", Shortcut.ZOOM_OUT, actions::zoomOut),
                item("Actual size", "menuZoomReset", Shortcut.ZOOM_RESET, actions::zoomReset));
        view.setId("viewMenu");
        view.setOnShowing(e -> fillDevices(device));
        return view;
    }

    private void fillDevices(Menu menu) {
        menu.getItems().clear();
        ToggleGroup group = new ToggleGroup();
        for (DeviceInfo info : devices.available()) {
            RadioMenuItem item = new RadioMenuItem(info.summary());
            item.setMnemonicParsing(false);
            item.setToggleGroup(group);
            item.setSelected(info.name().equals(devices.selectedProperty().get()));
            item.setOnAction(e -> {
                devices.select(info.name());
                settings.setDevice(info.name());
            });
            menu.getItems().add(item);
        }
        if (menu.getItems().isEmpty()) {
            MenuItem none = new MenuItem("(looking for devices\u2026)");
            none.setDisable(true);
            menu.getItems().add(none);
        }
    }

    private Menu helpMenu() {
        Menu help = new Menu("Help", null,
                item("Keyboard shortcuts", "menuShortcuts", Shortcut.SHORTCUTS, actions::showShortcuts),
                item("About Flowbench", "menuAbout", null, actions::showAbout));
        help.setId("helpMenu");
        return help;
    }

    private static MenuItem item(String text, String id, KeyCombination keys, Runnable action) {
        MenuItem item = new MenuItem(text);
        item.setId(id);
        if (keys != null) {
            item.setAccelerator(keys);
        }
        item.setOnAction(e -> action.run());
        return item;
    }
}
