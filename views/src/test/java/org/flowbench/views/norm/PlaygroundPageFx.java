package org.flowbench.views.norm;

import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.figure.ExportFormat;
import org.flowbench.views.figure.FigureExporter;
import org.flowbench.views.jobs.FxTaskExecutor;
import org.flowbench.views.lab.LabContext;
import org.flowbench.views.lab.ScriptedDialogs;
import org.flowbench.views.lab.TestLabContexts;
import org.flowbench.views.layout.LayoutCheck;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A playground page (Norm layers, Scale invariance) on a headless stage, as its FX tests meet it:
 * shown at 1260 x 780 on jobs in the background with scripted file choosers, computing from then
 * on as when the lab shows the tab.
 */
final class PlaygroundPageFx<P extends PlaygroundPage<?, ?, ?>> {

    private final Function<LabContext, P> newPage;
    private final ScriptedDialogs dialogs = new ScriptedDialogs();
    private Stage stage;
    private P page;

    PlaygroundPageFx(Function<LabContext, P> newPage) {
        this.newPage = newPage;
    }

    /** Builds the page and shows it in {@code stage}; call from the test's {@code @Start}. */
    void start(Stage stage) {
        this.stage = stage;
        page = newPage.apply(TestLabContexts.fx(new FxTaskExecutor(task -> { }), new DeviceSelection(), dialogs));
        stage.setScene(new Scene((Parent) page.node(), 1260, 780));
        stage.sizeToScene();
        stage.setX(0);
        stage.setY(0);
        stage.show();
        // as the lab does when the tab comes on screen: the page computes from then on
        page.onShown();
        stage.requestFocus();
    }

    P page() {
        return page;
    }

    /** The file choosers the page asks. */
    ScriptedDialogs dialogs() {
        return dialogs;
    }

    /** Waits up to two minutes for {@code condition}; a time-out names {@code what} and the page's problem line. */
    void waitUntil(String what, Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, condition);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + " (problem: "
                    + page.model().problemProperty().get() + ")", e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Exports the page's current figure as {@code baseName}.png, .svg and .pdf in {@code dir}; each must hold a drawing. */
    void exportsTheFigureInEveryFormat(Path dir, String baseName) throws IOException {
        for (ExportFormat format : ExportFormat.values()) {
            Path out = dir.resolve(baseName + "." + format.name().toLowerCase(Locale.ROOT));
            FigureExporter.export(page.currentFigure().orElseThrow(), format, 1000, 620, 1.0, out);
            assertThat(Files.size(out)).isGreaterThan(1000);
        }
    }

    /**
     * The layout problems of the page as it is now at 1280 x 800 and at 1024 x 700, with a snapshot
     * at each size named {@code shotName}-WIDTHxHEIGHT (see {@link PageShots}).
     */
    List<String> layoutProblemsAtBothWindowSizes(FxRobot robot, String shotName) {
        List<String> problems = new ArrayList<>();
        for (int[] size : new int[][] {{1280, 800}, {1024, 700}}) {
            problems.addAll(LayoutCheck.problemsAt(stage, size[0], size[1], page.node()));
            WaitForAsyncUtils.waitForFxEvents();
            robot.interact(() -> {
                try {
                    PageShots.save(page.node(), shotName + "-" + size[0] + "x" + size[1]);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return problems;
    }
}
