package org.flowbench.compute.ode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeviceFixedStepSolverTest {
    private static ComputeDevice device;

    @BeforeAll
    static void openDevice() {
        device = new CpuDevice(1);
    }

    @AfterAll
    static void closeDevice() {
        device.close();
    }

    @Test
    void matchesTheHostSolversStepForStep() {
        int n = 300;
        float[] x0 = Datasets.NORMAL.sample(n, 1);
        LinearTestField host = new LinearTestField(0.5, 3.0);
        for (DeviceFixedStepSolver.Method m : DeviceFixedStepSolver.Method.values()) {
            OdeSolver reference = Solvers.byName(m.id());
            Recording rec = new Recording(new int[] {0, 7}, 4, false);
            OdeResult onHost = reference.integrate(host, x0, n, TimeGrid.forward(10), rec, IntegrationMonitor.NONE);
            OdeResult onDevice = new DeviceFixedStepSolver(m).integrate(new HostFieldOnDevice(device, host), x0, n,
                    TimeGrid.forward(10), rec, IntegrationMonitor.NONE);
            assertThat(onDevice.finalState()).as(m.id()).containsExactly(onHost.finalState(), within(1e-5f));
            assertThat(onDevice.nfe()).isEqualTo(onHost.nfe()).isEqualTo(10 * m.stages());
            assertThat(onDevice.trajectory().frameSteps()).containsExactly(0, 4, 8, 10);
            assertThat(onDevice.trajectory().framePositions()).containsExactly(onHost.trajectory().framePositions(), within(1e-5f));
        }
    }

    @Test
    void deviceNativeFieldDecaysAsTheExactSolution() {
        // dx/dt = -x computed with device ops only: x(1) = e^-1 x(0)
        DeviceVelocityField decay = new DeviceVelocityField() {
            @Override
            public ComputeDevice device() {
                return device;
            }

            @Override
            public void velocity(DeviceBuffer x, int n, float t, DeviceBuffer v) {
                device.axpby(-1f, x, 0f, x, v);
            }
        };
        float[] x0 = {1f, -2f, 0.5f, 3f};
        OdeResult r = DeviceFixedStepSolver.byName("rk4").integrate(decay, x0, 2, TimeGrid.forward(20), Recording.NONE,
                IntegrationMonitor.NONE);
        for (int k = 0; k < 4; k++) {
            assertThat(r.finalState()[k]).isCloseTo((float) (x0[k] * Math.exp(-1)), within(1e-6f));
        }
        OdeResult back = DeviceFixedStepSolver.byName("rk4").integrate(decay, r.finalState(), 2, TimeGrid.reverse(20),
                Recording.NONE, IntegrationMonitor.NONE);
        assertThat(back.finalState()).containsExactly(x0, within(1e-5f));
        assertThatThrownBy(() -> DeviceFixedStepSolver.byName("dopri5")).hasMessageContaining("host");
    }
}
