package org.flowbench.app;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps a terminated window quiet. When the process is stopped by a signal (a logout, {@code kill},
 * the CI smoke test) the JVM runs JavaFX's own shutdown hook, which stops the render thread while
 * the FX thread may still be in a pulse; that pulse then fails with a
 * {@link RejectedExecutionException} from the stopped renderer. Once the JVM is shutting down this
 * handler drops exactly that exception and passes every other one on unchanged.
 */
final class ShutdownRace implements Thread.UncaughtExceptionHandler {

    private final AtomicBoolean shuttingDown;
    private final Thread.UncaughtExceptionHandler next;

    ShutdownRace(AtomicBoolean shuttingDown, Thread.UncaughtExceptionHandler next) {
        this.shuttingDown = shuttingDown;
        this.next = next;
    }

    /** Installs the handler on the calling (FX) thread; the flag is raised by a JVM shutdown hook. */
    static void installOnCurrentThread() {
        AtomicBoolean flag = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> flag.set(true), "Flowbench shutdown flag"));
        Thread fx = Thread.currentThread();
        Thread.UncaughtExceptionHandler previous = fx.getUncaughtExceptionHandler();
        fx.setUncaughtExceptionHandler(new ShutdownRace(flag, previous));
    }

    /** True for the renderer's refusal of a paint job after the JVM began to shut down. */
    boolean isShutdownRace(Throwable error) {
        return shuttingDown.get() && error instanceof RejectedExecutionException
                && error.getMessage() != null && error.getMessage().contains("Terminated");
    }

    @Override
    public void uncaughtException(Thread thread, Throwable error) {
        if (!isShutdownRace(error)) {
            next.uncaughtException(thread, error);
        }
    }
}
