package org.flowbench.app.shell;

import javafx.scene.Node;
import org.flowbench.app.session.Session;
import org.flowbench.app.session.SessionFiles;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.jobs.CurrentThreadTaskExecutor;
import org.flowbench.views.lab.Lab;
import org.flowbench.views.lab.LabDescriptor;
import org.flowbench.views.params.LabParameters;
import org.flowbench.views.params.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shell's view model, run on the current thread: no FX thread, no window. */
class ShellModelTest {

    @TempDir
    Path dir;

    private static final class ParametrisedLab implements Lab {
        final Parameter<Integer> samples = Parameter.integer("samples", "Samples", "Data", "how many", 1000, 10, 20000);
        final Parameter<Long> seed = Parameter.seed("seed", "Seed", "Data", "seed", 7);
        private final String id;

        final List<String> events = new java.util.ArrayList<>();
        int builds;

        ParametrisedLab(String id) {
            this.id = id;
        }

        @Override
        public void onShown() {
            events.add("shown");
        }

        @Override
        public void onHidden() {
            events.add("hidden");
        }

        @Override
        public void close() {
            events.add("closed");
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String title() {
            return id;
        }

        @Override
        public Node view() {
            throw new UnsupportedOperationException("no view in a view-model test");
        }

        @Override
        public LabParameters parameters() {
            return new LabParameters(List.of(samples, seed));
        }

        @Override
        public Optional<Figure> currentFigure() {
            return Optional.empty();
        }
    }

    private final ParametrisedLab first = new ParametrisedLab("first");
    private final ParametrisedLab second = new ParametrisedLab("second");
    private final ShellModel model = new ShellModel(List.of(descriptor(first), descriptor(second)),
            AppTestContexts.direct(new CurrentThreadTaskExecutor()), null);

    private static LabDescriptor descriptor(ParametrisedLab lab) {
        return new LabDescriptor(lab.id(), lab.title(), ctx -> {
            lab.builds++;
            return lab;
        }, List.of());
    }

    @Test
    void labsAreBuiltOnTheirFirstVisitShownHiddenAndClosed() {
        assertThat(first.builds).isEqualTo(1);
        assertThat(second.builds).as("not visited yet").isZero();
        assertThat(first.events).containsExactly("shown");
        model.selectLab("second");
        model.selectLab("first");
        model.selectLab("second");
        assertThat(second.builds).isEqualTo(1);
        assertThat(first.events).containsExactly("shown", "hidden", "shown", "hidden");
        assertThat(second.events).containsExactly("shown", "hidden", "shown");
        model.close();
        assertThat(first.events).endsWith("closed");
        assertThat(second.events).endsWith("closed");
    }

    @Test
    void aLabsStatusLineDoesNotOutliveItButAFailureStays() {
        model.showMessage("Showing the first lab's runs");
        model.selectLab("second");
        assertThat(model.statusMessageProperty().get()).isEmpty();
        model.showFailure("Could not open x.csv", new java.io.IOException("not a CSV file"));
        model.selectLab("first");
        assertThat(model.statusMessageProperty().get()).isEqualTo("Could not open x.csv: not a CSV file");
        assertThat(model.lastFailureProperty().get()).isNotNull();
    }

    @Test
    void anUnknownLabIsRefusedNamingTheLabs() {
        assertThatThrownBy(() -> model.selectLab("third")).hasMessage("no lab 'third' (labs: first, second)");
    }

    @Test
    void savedSessionReopensIdentically() {
        first.samples.trySet(2500);
        second.seed.trySet(99L);
        model.selectLab("second");
        Path file = dir.resolve("s.flowbench.json");
        model.saveSession(file, () -> { });
        assertThat(model.sessionFileProperty().get()).isEqualTo(file);
        Session saved = model.snapshot();

        first.samples.trySet(100);
        second.seed.trySet(1L);
        model.selectLab("first");
        model.openSession(file, () -> { });

        assertThat(model.snapshot()).isEqualTo(saved);
        assertThat(model.currentLab()).isSameAs(second);
        assertThat(first.samples.get()).isEqualTo(2500);
    }

    @Test
    void invalidValueInSessionChangesNothing() throws Exception {
        Path file = dir.resolve("bad.flowbench.json");
        SessionFiles.write(new Session("second", Map.of(
                "first", Map.of("samples", 5000L),
                "second", Map.of("samples", -3L))), file);
        model.openSession(file, () -> { });
        assertThat(first.samples.get()).isEqualTo(1000);
        assertThat(model.currentLab()).isSameAs(first);
        assertThat(model.statusMessageProperty().get()).contains("Samples").contains("between 10 and 20000");
        assertThat(model.lastFailureProperty().get()).isNotNull();
    }

    @Test
    void corruptFileChangesNothingAndSaysWhyInOneLine() throws Exception {
        Path file = dir.resolve("corrupt.json");
        Files.writeString(file, "\u0000\u0001garbage");
        first.samples.trySet(1234);
        model.openSession(file, () -> { });
        assertThat(first.samples.get()).isEqualTo(1234);
        assertThat(model.sessionFileProperty().get()).isNull();
        assertThat(model.statusMessageProperty().get()).startsWith("Could not open session").doesNotContain("\n");
    }

    @Test
    void unknownLabInSessionIsRefused() throws Exception {
        Path file = dir.resolve("unknown.json");
        SessionFiles.write(new Session("nowhere", Map.of()), file);
        model.openSession(file, () -> { });
        assertThat(model.currentLab()).isSameAs(first);
        assertThat(model.statusMessageProperty().get()).contains("no lab 'nowhere'");
    }

    @Test
    void aSessionOpenedInPartSaysWhatItDropped() throws Exception {
        Path file = dir.resolve("newer.flowbench.json");
        Files.writeString(file, "{\"format\": \"flowbench-session\", \"version\": 1, \"lab\": \"second\","
                + " \"labs\": {\"second\": {\"samples\": 4000}}, \"layout\": \"grid\"}");
        model.openSession(file, () -> { });
        assertThat(second.samples.get()).isEqualTo(4000);
        assertThat(model.currentLab()).isSameAs(second);
        assertThat(model.statusMessageProperty().get()).startsWith("Opened session newer.flowbench.json in part: ")
                .contains("field 'layout' is not known to this version");
    }
}
