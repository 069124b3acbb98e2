package org.flowbench.views.lab;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Dialogs answered by the test: each file or folder question takes the next queued answer (none
 * queued: the user cancelled), each yes/no question the preset answer. The questions asked are
 * kept for assertions.
 */
public final class ScriptedDialogs implements DialogService {

    private final Deque<Path> answers = new ArrayDeque<>();
    private final List<String> asked = new ArrayList<>();
    private boolean yes = true;

    /** The next file or folder question is answered with {@code path}. */
    public ScriptedDialogs answer(Path path) {
        answers.add(path);
        return this;
    }

    /** Every yes/no question is answered with {@code answer}. */
    public ScriptedDialogs confirmWith(boolean answer) {
        yes = answer;
        return this;
    }

    /** The titles of the dialogs shown so far. */
    public List<String> asked() {
        return List.copyOf(asked);
    }

    @Override
    public Optional<Path> chooseOpenFile(String title, List<FileType> types) {
        asked.add(title);
        return Optional.ofNullable(answers.poll());
    }

    @Override
    public Optional<Path> chooseSaveFile(String title, String suggestedName, List<FileType> types) {
        asked.add(title);
        return Optional.ofNullable(answers.poll());
    }

    @Override
    public Optional<Path> chooseFolder(String title) {
        asked.add(title);
        return Optional.ofNullable(answers.poll());
    }

    @Override
    public boolean confirm(String title, String question) {
        asked.add(title);
        return yes;
    }
}
