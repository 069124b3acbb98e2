package org.flowbench.views.bench;

import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.jobs.FxTaskExecutor;
import org.flowbench.views.lab.LabContext;
import org.flowbench.views.lab.TestLabContexts;
import org.flowbench.views.norm.NormalizationLab;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long the Normalization & depth page takes to open with its three sample runs: from
 * building the lab on the JavaFX thread to the moment its Depth page holds the runs (and,
 * separately, the |x| panel's forward pass). JavaFX is already running, as it is in the window
 * when the lab is first chosen; the first opening is cold (the lab's classes load), the later
 * ones warm. Headless (Monocle, software rendering), so it needs no display:
 * {@code java -Dglass.platform=Monocle -Dmonocle.platform=Headless -Dprism.order=sw ... NormPageOpenTiming [times [after-other]]};
 * {@code after-other} first opens the GFlowNets lab, as the window does when it starts on another lab.
 * Gives up after 60 s an opening.
 */
public final class NormPageOpenTiming {

    private NormPageOpenTiming() {
    }

    public static void main(String[] args) throws Exception {
        int times = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        if (args.length > 1 && args[1].equals("after-other")) {
            // as in the window opened on another lab: JavaFX's controls are loaded, the lab's classes are not
            CountDownLatch other = new CountDownLatch(1);
            Platform.runLater(() -> {
                LabContext context = TestLabContexts.fx(new FxTaskExecutor(task -> { }), new DeviceSelection(),
                        new org.flowbench.views.lab.ScriptedDialogs());
                Stage stage = new Stage();
                stage.setScene(new Scene((javafx.scene.Parent) org.flowbench.views.gflownet.GflowNetsLab.descriptor()
                        .factory().apply(context).view(), 1260, 780));
                stage.show();
                other.countDown();
            });
            other.await();
            Thread.sleep(8000);
            System.out.println("(the GFlowNets lab was opened first, 8 s before)");
        }
        for (int i = 0; i < times; i++) {
            long[] ms = openOnce();
            System.out.printf(Locale.ROOT, "%s opening: page built in %d ms, runs shown after %d ms, |x| panel after %d ms%n",
                    i == 0 ? "cold" : "warm", ms[2], ms[0], ms[1]);
        }
        Platform.exit();
        System.exit(0);
    }

    private static long[] openOnce() throws Exception {
        AtomicLong start = new AtomicLong();
        AtomicLong builtAfter = new AtomicLong();
        NormalizationLab[] lab = new NormalizationLab[1];
        Stage[] stage = new Stage[1];
        CountDownLatch built = new CountDownLatch(1);
        Platform.runLater(() -> {
            start.set(System.nanoTime());
            LabContext context = TestLabContexts.fx(new FxTaskExecutor(task -> { }), new DeviceSelection(), new org.flowbench.views.lab.ScriptedDialogs());
            lab[0] = new NormalizationLab(context);
            stage[0] = new Stage();
            stage[0].setScene(new Scene((javafx.scene.Parent) lab[0].view(), 1260, 780));
            stage[0].show();
            lab[0].onShown();
            builtAfter.set((System.nanoTime() - start.get()) / 1_000_000);
            built.countDown();
        });
        built.await();
        long runs = -1;
        long activations = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((runs < 0 || activations < 0) && System.nanoTime() < deadline) {
            AtomicBoolean hasRuns = new AtomicBoolean();
            AtomicBoolean hasActivations = new AtomicBoolean();
            CountDownLatch asked = new CountDownLatch(1);
            Platform.runLater(() -> {
                hasRuns.set(lab[0].depth().model().runs().size() == 3);
                hasActivations.set(lab[0].depth().model().activationsProperty().get() != null);
                asked.countDown();
            });
            asked.await();
            long now = (System.nanoTime() - start.get()) / 1_000_000;
            if (runs < 0 && hasRuns.get()) {
                runs = now;
            }
            if (activations < 0 && hasActivations.get()) {
                activations = now;
            }
            Thread.sleep(2);
            if (System.getProperty("debug") != null && now > 10_000 && now < 10_020) {
                Platform.runLater(() -> System.out.println("still waiting: runs " + lab[0].depth().model().runs().size()
                        + ", message " + lab[0].depth().model().messageProperty().get()));
            }
        }
        CountDownLatch closed = new CountDownLatch(1);
        Platform.runLater(() -> {
            lab[0].close();
            stage[0].close();
            closed.countDown();
        });
        closed.await();
        return new long[] {runs, activations, builtAfter.get()};
    }
}
