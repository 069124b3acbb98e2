package org.flowbench.compute.device.opencl;

import org.flowbench.compute.device.DeviceBuffer;
import org.flowbench.compute.device.DeviceFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The direct launcher: every op of {@link DeviceKernel} compiled as its own kernel, launches
 * queued in order without waiting, and the launcher choice. (The parity suites run every op on
 * it, as the default launcher, against the references and the cpu device.)
 */
class DirectKernelsTest {

    /** OP_ constants that mark ranges rather than name ops, and the staging ops only Aparapi needs. */
    private static final Set<String> NOT_OPS = Set.of("OP_CHANNEL_BASE", "OP_CHANNEL_LAST", "OP_TRANSFORMER_FIRST",
            "OP_STAGE_IN", "OP_STAGE_OUT");

    @BeforeAll
    static void requireOpenCl() {
        if (OpenClDevices.list().isEmpty()) {
            fail("no OpenCL device: " + OpenClDevices.unavailableReason()
                    + ". Install an OpenCL driver (CI installs pocl-opencl-icd and ocl-icd-libopencl1).");
        }
    }

    @AfterEach
    void clearLauncherChoice() {
        System.clearProperty(OpenClDevice.LAUNCHER_PROPERTY);
        System.clearProperty(OpenClDevice.PROFILE_KERNELS_PROPERTY);
    }

    /** Every op code DeviceKernel defines. */
    private static List<Integer> deviceKernelOps() throws IllegalAccessException {
        List<Integer> ops = new ArrayList<>();
        for (Field f : DeviceKernel.class.getDeclaredFields()) {
            if (f.getName().startsWith("OP_") && Modifier.isStatic(f.getModifiers()) && f.getType() == int.class
                    && !NOT_OPS.contains(f.getName())) {
                f.setAccessible(true);
                ops.add(f.getInt(null));
            }
        }
        return ops;
    }

    @Test
    void everyOpOfDeviceKernelHasItsOwnKernelAndNoOtherKernelIsThere() throws IllegalAccessException {
        List<Integer> expected = deviceKernelOps();
        assertThat(expected).hasSizeGreaterThan(50).doesNotHaveDuplicates();
        try (OpenClDevice d = OpenClDevices.open(0)) {
            assertThat(d.launchesDirectly()).as(d.launcher()).isTrue();
            assertThat(d.launcherWarning()).isNull();
            DirectKernels direct = directOf(d);
            assertThat(direct.ops()).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void kernelNamesCarryTheirOpCode() {
        assertThat(DirectKernels.opCode("op_3_fill")).isEqualTo(3);
        assertThat(DirectKernels.opCode("op_212_flow_back_scan")).isEqualTo(212);
        assertThat(DirectKernels.opCode("fill")).isEqualTo(-1);
        assertThat(DirectKernels.opCode("op__fill")).isEqualTo(-1);
        assertThat(DirectKernels.opCode("op_x_fill")).isEqualTo(-1);
        assertThat(DirectKernels.opCode("op_999_fill")).isEqualTo(-1);
    }

    @Test
    void opsQueuedWithoutWaitingRunInOrderBeforeTheDataComesBack() {
        try (OpenClDevice d = OpenClDevices.open(0)) {
            int n = 5000;
            DeviceBuffer x = d.upload(new float[n]);
            DeviceBuffer one = d.allocate(n);
            d.fill(one, 1f);
            long before = d.launches();
            // x <- 2x + 1 from 0, 24 times: each launch reads what the one before wrote, so x = 2^24 - 1 exactly.
            for (int i = 0; i < 24; i++) {
                d.axpby(2f, x, 1f, one, x);
            }
            assertThat(d.launches() - before).isEqualTo(24);
            float[] back = d.download(x);
            assertThat(back[0]).isEqualTo((float) ((1 << 24) - 1));
            assertThat(back[n - 1]).isEqualTo((float) ((1 << 24) - 1));
        }
    }

    @Test
    void aProgramThatDoesNotCompileIsReportedInOneLineWithTheCompilersComplaint() {
        com.aparapi.device.OpenCLDevice cl = firstAparapiDevice();
        String broken = DirectKernels.source().replace("op_4_copy(__global float* mem, const Args A) {",
                "op_4_copy(__global float* mem, const Args A) { undeclared_name = 1;");
        assertThat(broken).contains("undeclared_name");
        assertThatThrownBy(() -> DirectKernels.open("opencl:0", cl.getOpenCLPlatform().getName(), cl.getName(), 0,
                1024, broken, false)).isInstanceOf(DirectKernels.DirectKernelsException.class)
                .hasMessageContaining("failed to compile").hasMessageContaining("undeclared_name")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aDeviceTheLoaderDoesNotListIsNamedWithWhatItDoesList() {
        com.aparapi.device.OpenCLDevice cl = firstAparapiDevice();
        assertThatThrownBy(() -> DirectKernels.open("opencl:0", cl.getOpenCLPlatform().getName(), cl.getName(), 5,
                1024)).isInstanceOf(DirectKernels.DirectKernelsException.class)
                .hasMessageContaining("did not list").hasMessageContaining(cl.getName().strip());
    }

    private static com.aparapi.device.OpenCLDevice firstAparapiDevice() {
        return com.aparapi.device.OpenCLDevice.listDevices(null).get(0);
    }

    @Test
    void aparapiIsChosenWhenAskedFor() {
        System.setProperty(OpenClDevice.LAUNCHER_PROPERTY, "aparapi");
        try (OpenClDevice d = OpenClDevices.open(0)) {
            assertThat(d.launchesDirectly()).isFalse();
            assertThat(d.launcher()).contains("Aparapi").contains("asked for");
            assertThat(d.launcherWarning()).as("asked for, so nothing to warn about").isNull();
            DeviceBuffer x = d.upload(new float[] {1f, 2f, 3f});
            d.axpby(2f, x, 0f, x, x);
            assertThat(d.download(x)).containsExactly(2f, 4f, 6f);
        }
    }

    @Test
    void anUnknownLauncherIsRefusedNamingTheProperty() {
        System.setProperty(OpenClDevice.LAUNCHER_PROPERTY, "cuda");
        assertThatThrownBy(() -> OpenClDevices.open(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(OpenClDevice.LAUNCHER_PROPERTY).hasMessageContaining("cuda");
    }

    @Test
    void theDirectPoolIsNotBoundByTheJavaHeapOrAparapisIntSize() {
        try (OpenClDevice d = OpenClDevices.open(0, 1L << 30)) {
            long maxAlloc = OpenClDevices.list().get(0).maxBufferBytes() / Float.BYTES;
            assertThat((long) d.maxPoolFloats()).isEqualTo(Math.min(1L << 30, maxAlloc) / MemoryPool.ALIGN
                    * MemoryPool.ALIGN);
        }
    }

    @Test
    void aBufferLargerThanThePoolCanBeIsRefusedBeforeAnythingIsLost() {
        try (OpenClDevice d = OpenClDevices.open(0, 1 << 20)) {
            DeviceBuffer kept = d.upload(new float[] {7f, 8f});
            assertThatThrownBy(() -> d.allocate(2 << 20)).isInstanceOf(DeviceFailureException.class)
                    .hasMessageContaining("out of device memory");
            assertThat(d.download(kept)).containsExactly(7f, 8f);
        }
    }

    @Test
    void aKernelProfileCountsEachKernelsLaunchesAndTheirDeviceTimeAndLeavesTheResultsAlone() {
        System.setProperty(OpenClDevice.PROFILE_KERNELS_PROPERTY, "true");
        try (OpenClDevice d = OpenClDevices.open(0)) {
            assertThat(d.launcher()).contains("launch times recorded");
            int n = 5000;
            DeviceBuffer x = d.upload(new float[n]);
            DeviceBuffer one = d.allocate(n);
            DeviceBuffer copy = d.allocate(n);
            d.fill(x, 5f);
            KernelProfile profile = d.profileKernels(() -> {
                d.fill(one, 1f);
                for (int i = 0; i < 24; i++) {
                    d.axpby(2f, x, 1f, one, x);
                }
                d.copy(x, copy);
            });
            assertThat(profile.kernels()).extracting(KernelProfile.Kernel::name, KernelProfile.Kernel::launches)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("op_3_fill", 1L),
                            org.assertj.core.groups.Tuple.tuple("op_6_axpby", 24L),
                            org.assertj.core.groups.Tuple.tuple("op_4_copy", 1L));
            assertThat(profile.launches()).isEqualTo(26);
            assertThat(profile.kernels()).allSatisfy(k -> assertThat(k.nanos()).as(k.name()).isPositive());
            assertThat(profile.kernels().get(0).name()).as("24 launches take longest").isEqualTo("op_6_axpby");
            // x <- 2x + 1 from 5, 24 times: 6 * 2^24 - 1, rounded to a float.
            assertThat(d.download(copy)[n - 1]).isEqualTo((float) (6.0 * (1 << 24) - 1));
            // Outside a profile nothing is recorded: the next profile holds only its own launch.
            d.fill(one, 2f);
            assertThat(d.profileKernels(() -> d.fill(x, 0f)).launches()).isEqualTo(1);
        }
    }

    @Test
    void aKernelProfileLongerThanItsPendingLimitReadsTheEventsAsItGoes() {
        System.setProperty(OpenClDevice.PROFILE_KERNELS_PROPERTY, "true");
        try (OpenClDevice d = OpenClDevices.open(0)) {
            DeviceBuffer x = d.upload(new float[64]);
            int launches = DirectKernels.PROFILE_PENDING * 2 + 3;
            KernelProfile profile = d.profileKernels(() -> {
                for (int i = 0; i < launches; i++) {
                    d.fill(x, i);
                }
            });
            assertThat(profile.kernels()).singleElement().satisfies(k -> {
                assertThat(k.name()).isEqualTo("op_3_fill");
                assertThat(k.launches()).isEqualTo(launches);
            });
            assertThat(d.download(x)[63]).isEqualTo(launches - 1f);
        }
    }

    @Test
    void workThatThrowsInsideAProfileLeavesTheDeviceWorkingAndNotRecording() {
        System.setProperty(OpenClDevice.PROFILE_KERNELS_PROPERTY, "true");
        try (OpenClDevice d = OpenClDevices.open(0)) {
            DeviceBuffer x = d.upload(new float[8]);
            assertThatThrownBy(() -> d.profileKernels(() -> {
                d.fill(x, 3f);
                throw new IllegalArgumentException("the work's own failure");
            })).isInstanceOf(IllegalArgumentException.class).hasMessage("the work's own failure");
            assertThat(d.download(x)).containsOnly(3f);
            assertThat(d.profileKernels(() -> d.fill(x, 4f)).launches()).isEqualTo(1);
        }
    }

    @Test
    void aDeviceOpenedWithoutProfilingSaysWhichPropertyRecordsLaunchTimes() {
        try (OpenClDevice d = OpenClDevices.open(0)) {
            assertThat(d.launcher()).doesNotContain("launch times");
            assertThatThrownBy(() -> d.profileKernels(() -> { })).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(OpenClDevice.PROFILE_KERNELS_PROPERTY);
        }
    }

    private static DirectKernels directOf(OpenClDevice d) {
        return d.directKernels();
    }
}
