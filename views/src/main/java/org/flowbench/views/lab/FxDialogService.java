package org.flowbench.views.lab;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The window's dialogs: JavaFX file choosers that start in the folder last used (for the whole
 * session) and an alert for questions.
 */
public final class FxDialogService implements DialogService {

    private final Supplier<Window> owner;
    private File lastFolder;

    /** @param owner the window dialogs belong to (looked up when a dialog opens) */
    public FxDialogService(Supplier<Window> owner) {
        this.owner = owner;
    }

    @Override
    public Optional<Path> chooseOpenFile(String title, List<FileType> types) {
        FileChooser chooser = fileChooser(title, types);
        return remember(chooser.showOpenDialog(owner.get()));
    }

    @Override
    public Optional<Path> chooseSaveFile(String title, String suggestedName, List<FileType> types) {
        FileChooser chooser = fileChooser(title, types);
        if (suggestedName != null) {
            chooser.setInitialFileName(suggestedName);
        }
        // The platform's save dialog (GTK, Windows, macOS) asks before replacing a file.
        return remember(chooser.showSaveDialog(owner.get()));
    }

    @Override
    public Optional<Path> chooseFolder(String title) {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle(title);
        if (lastFolder != null && lastFolder.isDirectory()) {
            chooser.setInitialDirectory(lastFolder);
        }
        File folder = chooser.showDialog(owner.get());
        if (folder != null) {
            lastFolder = folder;
        }
        return Optional.ofNullable(folder).map(File::toPath);
    }

    @Override
    public boolean confirm(String title, String question) {
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, question, ButtonType.YES, ButtonType.NO);
        alert.setTitle(title);
        alert.setHeaderText(null);
        alert.initOwner(owner.get());
        return alert.showAndWait().filter(ButtonType.YES::equals).isPresent();
    }

    private FileChooser fileChooser(String title, List<FileType> types) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        for (FileType type : types) {
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(type.description(), type.patterns()));
        }
        if (lastFolder != null && lastFolder.isDirectory()) {
            chooser.setInitialDirectory(lastFolder);
        }
        return chooser;
    }

    private Optional<Path> remember(File file) {
        if (file != null && file.getParentFile() != null) {
            lastFolder = file.getParentFile();
        }
        return Optional.ofNullable(file).map(File::toPath);
    }
}
