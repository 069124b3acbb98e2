package org.flowbench.app;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShutdownRaceTest {

    private static final RejectedExecutionException RENDERER_STOPPED = new RejectedExecutionException(
            "Task PaintRenderJob rejected from QuantumRenderer[Terminated, pool size = 0]");

    @Test
    void dropsTheRenderersRefusalOnlyOnceTheJvmIsShuttingDown() {
        AtomicBoolean shuttingDown = new AtomicBoolean();
        List<Throwable> passedOn = new ArrayList<>();
        ShutdownRace handler = new ShutdownRace(shuttingDown, (thread, error) -> passedOn.add(error));

        handler.uncaughtException(Thread.currentThread(), RENDERER_STOPPED);
        assertEquals(1, passedOn.size(), "while running, the refusal is a real error and is reported");

        shuttingDown.set(true);
        handler.uncaughtException(Thread.currentThread(), RENDERER_STOPPED);
        assertEquals(1, passedOn.size(), "during shutdown the renderer's refusal is dropped");
    }

    @Test
    void passesEveryOtherErrorOnDuringShutdown() {
        AtomicBoolean shuttingDown = new AtomicBoolean(true);
        List<Throwable> passedOn = new ArrayList<>();
        ShutdownRace handler = new ShutdownRace(shuttingDown, (thread, error) -> passedOn.add(error));
        IllegalStateException bug = new IllegalStateException("a real bug");
        RejectedExecutionException otherPool = new RejectedExecutionException("queue full");

        handler.uncaughtException(Thread.currentThread(), bug);
        handler.uncaughtException(Thread.currentThread(), otherPool);

        assertEquals(2, passedOn.size());
        assertSame(bug, passedOn.get(0));
        assertSame(otherPool, passedOn.get(1));
        assertTrue(handler.isShutdownRace(RENDERER_STOPPED));
    }
}
