package org.flowbench.app.shell;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.flowbench.app.session.Session;
import org.flowbench.app.session.SessionFiles;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.Failures;
import org.flowbench.views.jobs.TaskExecutor;
import org.flowbench.views.lab.Lab;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * State of the application shell: the labs, the one on screen, the session file, and the last
 * message for the status bar. It knows nothing of the window; the window binds to it.
 */
public final class ShellModel {

    private final List<Lab> labs;
    private final TaskExecutor executor;
    private final ReadOnlyObjectWrapper<Lab> currentLab = new ReadOnlyObjectWrapper<>(this, "currentLab");
    private final ReadOnlyObjectWrapper<Path> sessionFile = new ReadOnlyObjectWrapper<>(this, "sessionFile");
    private final ReadOnlyStringWrapper statusMessage = new ReadOnlyStringWrapper(this, "statusMessage", "Ready");
    private final ReadOnlyObjectWrapper<Throwable> lastFailure = new ReadOnlyObjectWrapper<>(this, "lastFailure");

    public ShellModel(List<Lab> labs, TaskExecutor executor) {
        if (labs.isEmpty()) {
            throw new IllegalArgumentException("at least one lab is required");
        }
        this.labs = List.copyOf(labs);
        this.executor = Objects.requireNonNull(executor);
        currentLab.set(this.labs.get(0));
    }

    public List<Lab> labs() {
        return labs;
    }

    public TaskExecutor executor() {
        return executor;
    }

    public ReadOnlyObjectProperty<Lab> currentLabProperty() {
        return currentLab.getReadOnlyProperty();
    }

    public Lab currentLab() {
        return currentLab.get();
    }

    public void selectLab(Lab lab) {
        if (!labs.contains(lab)) {
            throw new IllegalArgumentException("unknown lab " + lab);
        }
        currentLab.set(lab);
    }

    public Lab labById(String id) {
        for (Lab lab : labs) {
            if (lab.id().equals(id)) {
                return lab;
            }
        }
        throw new IllegalArgumentException("no lab '" + id + "'");
    }

    public ReadOnlyObjectProperty<Path> sessionFileProperty() {
        return sessionFile.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusMessageProperty() {
        return statusMessage.getReadOnlyProperty();
    }

    /** The last failure, for "details on demand"; cleared by the next success message. */
    public ReadOnlyObjectProperty<Throwable> lastFailureProperty() {
        return lastFailure.getReadOnlyProperty();
    }

    public void showMessage(String message) {
        lastFailure.set(null);
        statusMessage.set(message);
    }

    public void showFailure(String what, Throwable error) {
        lastFailure.set(error);
        statusMessage.set(what + ": " + Failures.oneLine(error));
    }

    /** The session as it stands now: the current lab and every lab's parameters. */
    public Session snapshot() {
        Map<String, Map<String, Object>> parameters = new LinkedHashMap<>();
        for (Lab lab : labs) {
            parameters.put(lab.id(), lab.parameters().values());
        }
        return new Session(currentLab().id(), parameters);
    }

    /**
     * Applies a session all or nothing: the lab must exist and every stored value must be valid
     * for its parameter; otherwise nothing changes and the reason comes back as an exception.
     */
    public void apply(Session session) {
        Lab target = labById(session.currentLab());
        Map<Lab, Map<String, Object>> checked = new HashMap<>();
        for (Map.Entry<String, Map<String, Object>> entry : session.labParameters().entrySet()) {
            Lab lab = labs.stream().filter(l -> l.id().equals(entry.getKey())).findFirst().orElse(null);
            if (lab == null) {
                continue; // a lab this build does not have: nothing to restore
            }
            String problems = lab.parameters().problems(entry.getValue());
            if (problems != null) {
                throw new IllegalArgumentException(lab.title() + ", " + problems);
            }
            checked.put(lab, entry.getValue());
        }
        checked.forEach((lab, values) -> lab.parameters().applyAll(values));
        currentLab.set(target);
    }

    /** Saves the session in the background; on success the file becomes the current session file. */
    public void saveSession(Path file, Runnable onSaved) {
        Session session = snapshot();
        BackgroundTask.of("Save session " + file.getFileName(), ctx -> {
                    SessionFiles.write(session, file);
                    return file;
                })
                .onSuccess(saved -> {
                    sessionFile.set(saved);
                    showMessage("Saved session " + saved.getFileName());
                    onSaved.run();
                })
                .onFailure(error -> showFailure("Could not save session", error))
                .executeWith(executor);
    }

    /** Reads a session in the background and applies it; a bad file changes nothing on screen. */
    public void openSession(Path file, Runnable onOpened) {
        BackgroundTask.of("Open session " + file.getFileName(), ctx -> SessionFiles.read(file))
                .onSuccess(session -> {
                    try {
                        apply(session);
                        sessionFile.set(file);
                        showMessage("Opened session " + file.getFileName());
                        onOpened.run();
                    } catch (IllegalArgumentException e) {
                        showFailure("Could not open " + file.getFileName(), e);
                    }
                })
                .onFailure(error -> showFailure("Could not open session", error))
                .executeWith(executor);
    }

    /** Reads a session synchronously (command line and tests). */
    public static Session readSession(Path file) throws IOException {
        return SessionFiles.read(file);
    }
}
