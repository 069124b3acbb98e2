package org.flowbench.views.lab;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * File choosers and questions to the user, behind an interface so that view models and tests
 * never open a real dialog: the window passes {@link FxDialogService}, tests pass their own.
 */
public interface DialogService {

    /** A file type offered by a chooser, e.g. {@code new FileType("Checkpoints", "*.safetensors", "*.npz")}. */
    record FileType(String description, List<String> patterns) {
        public FileType(String description, String... patterns) {
            this(description, List.of(patterns));
        }
    }

    /** Asks for an existing file to read; empty when the user cancels. */
    Optional<Path> chooseOpenFile(String title, List<FileType> types);

    /**
     * Asks where to write a file; empty when the user cancels. An existing file is returned only
     * after the user has agreed to replace it.
     */
    Optional<Path> chooseSaveFile(String title, String suggestedName, List<FileType> types);

    /** Asks for a folder; empty when the user cancels. */
    Optional<Path> chooseFolder(String title);

    /** Asks a yes/no question; true for yes. */
    boolean confirm(String title, String question);
}
