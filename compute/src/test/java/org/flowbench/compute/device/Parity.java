package org.flowbench.compute.device;

import org.flowbench.compute.device.Reference.Result;
import org.flowbench.compute.device.opencl.OpenClDevice;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One operation run on the cpu and the OpenCL device of a {@link TestDevices}, each output checked
 * against its double-precision {@link Reference} and the two devices against each other.
 */
final class Parity {

    private Parity() {
    }

    /** The buffers one operation makes on one device, all freed when it is done. */
    static final class Scope {
        private final ComputeDevice device;
        private final List<DeviceBuffer> made = new ArrayList<>();

        Scope(ComputeDevice device) {
            this.device = device;
        }

        DeviceBuffer up(float[] data) {
            DeviceBuffer b = device.upload(data);
            made.add(b);
            return b;
        }

        DeviceBuffer zeros(int floats) {
            DeviceBuffer b = device.allocate(floats);
            made.add(b);
            return b;
        }

        void freeAll() {
            made.forEach(device::free);
        }
    }

    /** An operation on one device, returning its outputs; it makes its buffers through the scope. */
    @FunctionalInterface
    interface Op {
        List<DeviceBuffer> run(ComputeDevice d, Scope s);
    }

    /** Runs an operation on a device and returns its outputs, downloaded, with every buffer it made freed. */
    static List<float[]> on(ComputeDevice d, Op op) {
        Scope scope = new Scope(d);
        try {
            List<float[]> result = new ArrayList<>();
            for (DeviceBuffer b : op.run(d, scope)) {
                result.add(d.download(b));
            }
            return result;
        } finally {
            scope.freeAll();
        }
    }

    /**
     * Runs {@code op} on both devices: each output within {@code rtol} of {@code expected} (relative
     * to {@code |reference| + scale}), the two devices within twice that of each other.
     */
    static void check(TestDevices devices, double rtol, String what, Op op, Result... expected) {
        OpenClDevice cl = devices.cl();
        List<float[]> a = on(devices.cpu(), op);
        List<float[]> b = on(cl, op);
        assertThat(cl.isRunningOpenCl()).as("%s ran on OpenCL", what).isTrue();
        for (int i = 0; i < expected.length; i++) {
            Reference.assertClose(what + " output " + i + " on cpu", expected[i], a.get(i), rtol, 0);
            Reference.assertClose(what + " output " + i + " on " + cl.name(), expected[i], b.get(i), rtol, 0);
            Reference.assertAgree(what + " output " + i + ", opencl vs cpu", b.get(i), a.get(i), expected[i].scale(),
                    2 * rtol, 0);
        }
    }
}
