package org.flowbench.compute.device.opencl;

import org.flowbench.compute.device.DeviceBuffer;
import org.flowbench.compute.device.DeviceFailureException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

/**
 * The pool's size limit: Aparapi hands OpenCL a buffer's size in bytes as a 32-bit int, so the
 * pool must stay below 2^31 bytes, and a request that cannot fit is refused without losing the device.
 */
class PoolLimitTest {

    private static final long GIB = 1L << 30;

    @Test
    void thePoolStaysBelowTwoGibibytesWhateverTheHeapAndDeviceAllow() {
        int limit = OpenClDevice.poolLimit(OpenClDevices.DEFAULT_MAX_POOL_FLOATS, 64 * GIB, 32 * GIB);
        assertThat((long) limit * Float.BYTES).isLessThan(1L << 31).isGreaterThan(2 * GIB - 1024);
        assertThat(limit % MemoryPool.ALIGN).isZero();
        // Doubling from the initial pool reaches the limit instead of 2^31 bytes.
        long capacity = OpenClDevice.INITIAL_POOL;
        while (capacity < limit) {
            capacity = Math.min(limit, 2 * capacity);
        }
        assertThat(capacity * Float.BYTES).isLessThanOrEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void thePoolLimitFollowsTheHeapTheDeviceAndTheCaller() {
        assertThat(OpenClDevice.poolLimit(1L << 40, 3 * GIB, 32 * GIB)).isEqualTo((int) (GIB / Float.BYTES));
        assertThat(OpenClDevice.poolLimit(1L << 40, 64 * GIB, GIB)).isEqualTo((int) (GIB / Float.BYTES));
        assertThat(OpenClDevice.poolLimit(1000, 64 * GIB, 32 * GIB)).isEqualTo(992);
        assertThat(OpenClDevice.poolLimit(1, 64 * GIB, 32 * GIB)).isEqualTo(MemoryPool.ALIGN);
    }

    @Test
    void aRequestLargerThanThePoolIsRefusedAndTheDeviceKeepsWorking() {
        requireOpenCl();
        try (OpenClDevice d = OpenClDevices.open(0, 1 << 20)) {
            DeviceBuffer kept = d.upload(new float[] {1, 2, 3});
            assertThatThrownBy(() -> d.allocate((1 << 20) + 1))
                    .isInstanceOf(DeviceFailureException.class)
                    .hasMessageContaining("out of device memory")
                    .hasMessageContaining("larger than the whole pool")
                    .satisfies(e -> assertThat(((DeviceFailureException) e).isOutOfMemory()).isTrue());
            DeviceBuffer more = d.allocate(1 << 19);
            d.fill(more, 2f);
            assertThat(d.download(kept)).containsExactly(1, 2, 3);
            assertThat(d.download(more)[(1 << 19) - 1]).isEqualTo(2f);
            assertThat(d.isRunningOpenCl()).isTrue();
        }
    }

    /**
     * LayerNorm at 65536 x 1024 with more than 1 GiB live, then requests until the pool is full:
     * every refusal is an out-of-memory, never a failed device. Needs about 3 GB of memory, so it
     * runs only with {@code -Dflowbench.largePoolTest=true}.
     */
    @Test
    @Tag("large-memory")
    @EnabledIfSystemProperty(named = "flowbench.largePoolTest", matches = "true")
    void layerNormWithMoreThanOneGibibyteLiveAndAFullPool() {
        requireOpenCl();
        int rows = 65536;
        int cols = 1024;
        int size = rows * cols;
        try (OpenClDevice d = OpenClDevices.open(0)) {
            Random random = new Random(12);
            float[] x = new float[size];
            for (int i = 0; i < size; i++) {
                x[i] = (float) random.nextGaussian() * 3 + 1;
            }
            DeviceBuffer dx = d.upload(x);
            x = null;
            DeviceBuffer y = d.allocate(size);
            DeviceBuffer mean = d.allocate(rows);
            DeviceBuffer rstd = d.allocate(rows);
            DeviceBuffer dy = d.allocate(size);
            DeviceBuffer grad = d.allocate(size);
            d.fill(dy, 1f);
            d.layerNormForward(dx, null, null, y, mean, rstd, rows, cols, 1e-5f);
            d.layerNormBackward(dx, null, mean, rstd, dy, grad, null, null, rows, cols);
            assertThat(d.poolUsage()[1] * Float.BYTES).isGreaterThan(GIB);
            float[] row = new float[cols];
            d.download(y, (rows - 1) * cols, row, 0, cols);
            double s = 0;
            double ss = 0;
            for (float v : row) {
                s += v;
                ss += (double) v * v;
            }
            assertThat(s / cols).isCloseTo(0, within(1e-4));
            assertThat(ss / cols).isCloseTo(1, within(1e-3));
            d.download(grad, (rows - 1) * cols, row, 0, cols);
            for (float v : row) {
                assertThat(v).isCloseTo(0f, within(1e-3f));
            }
            List<DeviceBuffer> extra = new ArrayList<>();
            int refusals = 0;
            for (int i = 0; i < 16 && refusals == 0; i++) {
                try {
                    extra.add(d.allocate(1 << 26));
                } catch (DeviceFailureException e) {
                    assertThat(e.isOutOfMemory()).as(e.getMessage()).isTrue();
                    refusals++;
                }
            }
            assertThat(refusals).isEqualTo(1);
            assertThat((long) d.poolUsage()[0] * Float.BYTES).isLessThan(1L << 31);
            assertThat(d.isRunningOpenCl()).isTrue();
            extra.forEach(d::free);
            d.fill(y, 0.5f);
            d.download(y, 0, row, 0, cols);
            assertThat(row[cols - 1]).isEqualTo(0.5f);
        }
    }

    private static void requireOpenCl() {
        if (OpenClDevices.list().isEmpty()) {
            fail("no OpenCL device: " + OpenClDevices.unavailableReason()
                    + ". Install an OpenCL driver (CI installs pocl-opencl-icd and ocl-icd-libopencl1).");
        }
    }
}
