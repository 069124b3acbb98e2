package org.flowbench.views.lab;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * A {@link DialogService} for tests: each dialog takes the next answer queued for it (empty, as if
 * cancelled, when none is queued) and every question asked is recorded.
 */
public final class ScriptedDialogs implements DialogService {

    private final Deque<Path> files = new ArrayDeque<>();
    private final Deque<Path> folders = new ArrayDeque<>();
    private final Deque<Boolean> answers = new ArrayDeque<>();
    private final List<String> asked = new ArrayList<>();

    /** The next open or save dialog answers {@code file}. */
    public ScriptedDialogs file(Path file) {
        files.add(file);
        return this;
    }

    /** The next folder dialog answers {@code folder}. */
    public ScriptedDialogs folder(Path folder) {
        folders.add(folder);
        return this;
    }

    /** The next confirmation answers {@code yes}. */
    public ScriptedDialogs answer(boolean yes) {
        answers.add(yes);
        return this;
    }

    /** Titles of the dialogs opened so far, in order. */
    public List<String> asked() {
        return List.copyOf(asked);
    }

    @Override
    public Optional<Path> chooseOpenFile(String title, List<FileType> types) {
        asked.add(title);
        return Optional.ofNullable(files.poll());
    }

    @Override
    public Optional<Path> chooseSaveFile(String title, String suggestedName, List<FileType> types) {
        asked.add(title);
        return Optional.ofNullable(files.poll());
    }

    @Override
    public Optional<Path> chooseFolder(String title) {
        asked.add(title);
        return Optional.ofNullable(folders.poll());
    }

    @Override
    public boolean confirm(String title, String question) {
        asked.add(title);
        Boolean yes = answers.poll();
        return yes != null && yes;
    }
}
