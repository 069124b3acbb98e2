package org.flowbench.views.lab;

import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.flowbench.views.layout.LayoutCheck;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** A lab's page on the headless stage of its FX tests, and waiting there for the page's jobs. */
public final class PageStage {

    private PageStage() {
    }

    /**
     * Shows {@code page} at 1260 x 780 in the top left corner, within Monocle's headless screen
     * (1280 x 800), and gives the stage the keyboard.
     */
    public static void show(Stage stage, Parent page) {
        stage.setScene(new Scene(page, 1260, 780));
        // the stage may come from an earlier test with a size and place of its own
        stage.sizeToScene();
        stage.setX(0);
        stage.setY(0);
        stage.show();
        stage.requestFocus();
    }

    /**
     * Waits up to {@code seconds} for {@code condition}, then for the FX events it set off; a
     * time-out names {@code what} and the lab's problem line at that moment.
     */
    public static void waitUntil(String what, int seconds, Callable<Boolean> condition, Supplier<String> problem)
            throws Exception {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what + " (problem: " + problem.get() + ")", e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The layout problems of {@code page} at the two window sizes every page must fit, 1280 x 800 and 1024 x 700. */
    public static List<String> layoutProblemsAtBothWindowSizes(Stage stage, Node page) {
        List<String> problems = new ArrayList<>();
        problems.addAll(LayoutCheck.problemsAt(stage, 1280, 800, page));
        problems.addAll(LayoutCheck.problemsAt(stage, 1024, 700, page));
        return problems;
    }
}
