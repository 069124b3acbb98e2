package org.flowbench.compute.ode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;

/**
 * Euler, midpoint, Heun and RK4 with the particles kept on the field's device, using the
 * device's fused updates ({@link ComputeDevice#eulerStep}, {@link ComputeDevice#heunStep},
 * {@link ComputeDevice#rk4Step}). The state is uploaded once, recorded frames are downloaded as
 * they are taken and the final state at the end. Same stepping and NFE as
 * {@link ExplicitRungeKutta}; stage points are not recorded here (use the host solvers' single
 * {@link OdeSolver#step} for stage-by-stage views). Immutable; each call allocates its device
 * buffers once and frees them before returning.
 */
public final class DeviceFixedStepSolver {

    /** The method. */
    public enum Method {
        EULER(1), MIDPOINT(2), HEUN(2), RK4(4);

        private final int stages;

        Method(int stages) {
            this.stages = stages;
        }

        public int stages() {
            return stages;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Method method;

    public DeviceFixedStepSolver(Method method) {
        if (method == null) {
            throw new IllegalArgumentException("device solver method is missing");
        }
        this.method = method;
    }

    /** {@code euler}, {@code midpoint}, {@code heun} or {@code rk4}. */
    public static DeviceFixedStepSolver byName(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (Method m : Method.values()) {
            if (m.id().equals(key)) {
                return new DeviceFixedStepSolver(m);
            }
        }
        throw new IllegalArgumentException("unknown device solver '" + name + "'; known: euler, midpoint, heun, rk4"
                + " (dopri5 runs on the host solvers)");
    }

    public Method method() {
        return method;
    }

    /** As {@link OdeSolver#integrate}, on the field's device. */
    public OdeResult integrate(DeviceVelocityField field, float[] x0, int n, TimeGrid grid, Recording recording,
                               IntegrationMonitor monitor) {
        if (field == null) {
            throw new IllegalArgumentException("velocity field is missing");
        }
        if (n < 1) {
            throw new IllegalArgumentException("device sampling needs at least one particle, got " + n);
        }
        OdeChecks.checkBatch((x, count, t, v) -> { }, x0, n);
        if (grid == null || recording == null || monitor == null) {
            throw new IllegalArgumentException("time grid, recording and monitor must not be null");
        }
        String name = method.id() + "@" + field.device().name();
        ComputeDevice device = field.device();
        int len = 2 * n;
        TrajectoryRecorder recorder = new TrajectoryRecorder(recording, n, method.stages());
        float[] host = new float[len];
        System.arraycopy(x0, 0, host, 0, len);
        List<DeviceBuffer> buffers = new ArrayList<>();
        try {
            DeviceBuffer x = track(buffers, device.upload(host));
            DeviceBuffer stage = track(buffers, device.allocate(len));
            DeviceBuffer[] k = new DeviceBuffer[method.stages()];
            for (int q = 0; q < k.length; q++) {
                k[q] = track(buffers, device.allocate(len));
            }
            int steps = grid.steps();
            if (recorder.wantsFrame(0)) {
                recorder.addFrame(0, grid.start(), host);
            }
            for (int i = 0; i < steps; i++) {
                OdeChecks.checkCancelled(monitor, name, i);
                double t = grid.time(i);
                float h = (float) (grid.time(i + 1) - t);
                float tf = (float) t;
                field.velocity(x, n, tf, k[0]);
                switch (method) {
                    case EULER -> device.eulerStep(x, k[0], h, x);
                    case MIDPOINT -> {
                        device.eulerStep(x, k[0], 0.5f * h, stage);
                        field.velocity(stage, n, (float) (t + 0.5 * h), k[1]);
                        device.eulerStep(x, k[1], h, x);
                    }
                    case HEUN -> {
                        device.eulerStep(x, k[0], h, stage);
                        field.velocity(stage, n, (float) (t + h), k[1]);
                        device.heunStep(x, k[0], k[1], h, x);
                    }
                    case RK4 -> {
                        device.eulerStep(x, k[0], 0.5f * h, stage);
                        field.velocity(stage, n, (float) (t + 0.5 * h), k[1]);
                        device.eulerStep(x, k[1], 0.5f * h, stage);
                        field.velocity(stage, n, (float) (t + 0.5 * h), k[2]);
                        device.eulerStep(x, k[2], h, stage);
                        field.velocity(stage, n, (float) (t + h), k[3]);
                        device.rk4Step(x, k[0], k[1], k[2], k[3], h, x);
                    }
                    default -> throw new IllegalStateException("unhandled method " + method);
                }
                int done = i + 1;
                if (recorder.wantsFrame(done) && done < steps) {
                    device.download(x, 0, host, 0, len);
                    recorder.addFrame(done, grid.time(done), host);
                }
                monitor.onStep(done, steps, grid.time(done));
            }
            device.download(x, 0, host, 0, len);
            OdeChecks.checkFinite(host, n, name, steps, grid.end());
            Trajectory trajectory = recorder.finish(steps, grid.end(), host);
            return new OdeResult(name, n, host, grid.times(), steps * method.stages(), 0, trajectory);
        } finally {
            for (DeviceBuffer b : buffers) {
                device.free(b);
            }
        }
    }

    private static DeviceBuffer track(List<DeviceBuffer> buffers, DeviceBuffer b) {
        buffers.add(b);
        return b;
    }

    @Override
    public String toString() {
        return method.id();
    }
}
