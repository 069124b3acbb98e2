package org.flowbench.app.shell;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.flowbench.app.session.Session;
import org.flowbench.app.session.SessionFiles;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.Failures;
import org.flowbench.views.jobs.TaskExecutor;
import org.flowbench.views.lab.Lab;
import org.flowbench.views.lab.LabContext;
import org.flowbench.views.lab.LabDescriptor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * State of the application shell: the lab list, the labs built so far, the one on screen, the
 * session file, and the last message for the status bar. A lab is built on its first visit and
 * told when it is shown and hidden; {@link #close} closes every lab built. It knows nothing of
 * the window; the window binds to it.
 */
public final class ShellModel implements AutoCloseable {

    private final List<LabDescriptor> descriptors;
    private final Map<String, Lab> built = new LinkedHashMap<>();
    private final java.util.function.Function<LabDescriptor, Lab> builder;
    private final TaskExecutor executor;
    private final javafx.beans.value.ObservableValue<FigureTheme> theme;
    private java.util.function.Consumer<Boolean> themeRestorer = dark -> { };
    private final ReadOnlyObjectWrapper<Lab> currentLab = new ReadOnlyObjectWrapper<>(this, "currentLab");
    private final ReadOnlyObjectWrapper<Path> sessionFile = new ReadOnlyObjectWrapper<>(this, "sessionFile");
    private final ReadOnlyStringWrapper statusMessage = new ReadOnlyStringWrapper(this, "statusMessage", "Ready");
    private final ReadOnlyObjectWrapper<Throwable> lastFailure = new ReadOnlyObjectWrapper<>(this, "lastFailure");

    /**
     * @param descriptors the lab list, in navigator order
     * @param context     what every lab is built with
     * @param first       the id of the lab on screen at the start (null: the first of the list)
     */
    public ShellModel(List<LabDescriptor> descriptors, LabContext context, String first) {
        if (descriptors.isEmpty()) {
            throw new IllegalArgumentException("at least one lab is required");
        }
        this.descriptors = List.copyOf(descriptors);
        this.executor = Objects.requireNonNull(context.executor());
        this.theme = context.theme();
        this.builder = descriptor -> descriptor.factory().apply(context);
        selectLab(first == null ? this.descriptors.get(0).id() : first);
    }

    /** What applies a session's theme to the window (true for dark). */
    public void onThemeRestored(java.util.function.Consumer<Boolean> restorer) {
        this.themeRestorer = Objects.requireNonNull(restorer);
    }

    /** The folder of the current session file, against which checkpoint paths are stored; null before a save. */
    private Path sessionFolder() {
        Path file = sessionFile.get();
        return file == null ? null : file.toAbsolutePath().getParent();
    }

    /** The lab list, in navigator order. */
    public List<LabDescriptor> descriptors() {
        return descriptors;
    }

    /** The labs built so far, in the order they were first visited. */
    public List<Lab> builtLabs() {
        return List.copyOf(built.values());
    }

    /** The lab {@code id}, built now if this is its first visit. */
    public Lab lab(String id) {
        LabDescriptor descriptor = descriptor(id);
        return built.computeIfAbsent(descriptor.id(), key -> builder.apply(descriptor));
    }

    private LabDescriptor descriptor(String id) {
        for (LabDescriptor d : descriptors) {
            if (d.id().equals(id)) {
                return d;
            }
        }
        throw new IllegalArgumentException("no lab '" + id + "' (labs: "
                + String.join(", ", descriptors.stream().map(LabDescriptor::id).toList()) + ")");
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

    /** Puts lab {@code id} on screen (building it on its first visit); the lab before it is hidden. */
    public void selectLab(String id) {
        Lab next = lab(id);
        Lab before = currentLab.get();
        if (before == next) {
            return;
        }
        if (before != null) {
            before.onHidden();
            // what the lab last said is not about the next one; a failure stays, with its details
            if (lastFailure.get() == null) {
                statusMessage.set("");
            }
        }
        currentLab.set(next);
        next.onShown();
    }

    /**
     * The lab that opens checkpoints of {@code kind}: the one on screen if it does, else the
     * first of the list that does.
     */
    public java.util.Optional<String> labOpening(String kind) {
        if (kind == null) {
            return java.util.Optional.empty();
        }
        if (descriptor(currentLab().id()).opens().contains(kind)) {
            return java.util.Optional.of(currentLab().id());
        }
        return descriptors.stream().filter(d -> d.opens().contains(kind)).map(LabDescriptor::id).findFirst();
    }

    /** The lab that opens a file by its name's ending (the current lab first), if any declares it. */
    public java.util.Optional<String> labOpeningFile(String fileName) {
        String name = fileName.toLowerCase(java.util.Locale.ROOT);
        java.util.function.Predicate<LabDescriptor> opensIt = d -> d.opens().stream()
                .anyMatch(ending -> ending.startsWith(".") && name.endsWith(ending));
        if (opensIt.test(descriptor(currentLab().id()))) {
            return java.util.Optional.of(currentLab().id());
        }
        return descriptors.stream().filter(opensIt).map(LabDescriptor::id).findFirst();
    }

    /** Closes every lab built (models, devices, timers); the application is quitting. */
    @Override
    public void close() {
        for (Lab lab : built.values()) {
            try {
                lab.close();
            } catch (RuntimeException e) {
                showFailure("Could not close " + lab.title(), e);
            }
        }
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

    /** "Could not open NAME: reason", the file named once when the reader's reason already starts with its name. */
    public void showOpenFailure(Path file, Throwable error) {
        String name = String.valueOf(file.getFileName());
        String reason = Failures.oneLine(error);
        lastFailure.set(error);
        statusMessage.set("Could not open " + (reason.startsWith(name + ": ") ? reason : name + ": " + reason));
    }

    /** The session as it stands now: the current lab and the parameters of every lab built (labs not visited keep their defaults). */
    public Session snapshot() {
        return snapshot(sessionFolder());
    }

    /** The session as it would be saved into {@code folder} (checkpoint paths relative to it). */
    Session snapshot(Path folder) {
        Map<String, Map<String, Object>> parameters = new LinkedHashMap<>();
        for (Lab lab : built.values()) {
            Map<String, Object> values = lab.parameters().values();
            if (!values.isEmpty()) {
                parameters.put(lab.id(), values);
            }
        }
        Map<String, Map<String, Object>> views = new LinkedHashMap<>();
        for (Lab lab : built.values()) {
            Map<String, Object> view = lab.viewState(folder);
            if (!view.isEmpty()) {
                views.put(lab.id(), view);
            }
        }
        return new Session(currentLab().id(), parameters, views, theme.getValue() == FigureTheme.DARK ? "dark" : "light");
    }

    /**
     * Applies a session all or nothing: the lab must exist and every stored value must be valid
     * for its parameter; otherwise nothing changes and the reason comes back as an exception.
     */
    public void apply(Session session) {
        apply(session, sessionFolder());
    }

    /** {@link #apply(Session)} for a session read from {@code folder}. */
    void apply(Session session, Path folder) {
        descriptor(session.currentLab());
        Map<Lab, Map<String, Object>> checked = new HashMap<>();
        for (Map.Entry<String, Map<String, Object>> entry : session.labParameters().entrySet()) {
            if (descriptors.stream().noneMatch(d -> d.id().equals(entry.getKey()))) {
                continue; // a lab this build does not have: nothing to restore
            }
            Lab lab = lab(entry.getKey());
            String problems = lab.parameters().problems(entry.getValue());
            if (problems != null) {
                throw new IllegalArgumentException(lab.title() + ", " + problems);
            }
            checked.put(lab, entry.getValue());
        }
        checked.forEach((lab, values) -> lab.parameters().applyAll(values));
        session.labViews().forEach((id, view) -> {
            if (descriptors.stream().anyMatch(d -> d.id().equals(id))) {
                lab(id).restoreViewState(view, folder);
            }
        });
        if (session.theme() != null) {
            themeRestorer.accept("dark".equals(session.theme()));
        }
        selectLab(session.currentLab());
    }

    /** Saves the session in the background; on success the file becomes the current session file. */
    public void saveSession(Path file, Runnable onSaved) {
        Session session = snapshot(file.toAbsolutePath().getParent());
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

    /**
     * Reads a session in the background and applies it, saying what it could not open (a newer
     * version's fields, bad values, a corrupt file whose backup was opened); a file that cannot be
     * read at all, or a value out of range, changes nothing on screen.
     */
    public void openSession(Path file, Runnable onOpened) {
        BackgroundTask.of("Open session " + file.getFileName(), ctx -> SessionFiles.open(file))
                .onSuccess(opened -> {
                    try {
                        apply(opened.session(), file.toAbsolutePath().getParent());
                        sessionFile.set(file);
                        showMessage(opened.complete() ? "Opened session " + file.getFileName()
                                : "Opened session " + file.getFileName() + " in part: " + String.join("; ", opened.dropped()));
                        onOpened.run();
                    } catch (IllegalArgumentException e) {
                        showOpenFailure(file, e);
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
