package org.flowbench.compute.device;

import org.flowbench.compute.device.Reference.Result;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The per-channel primitives (moments, normalise, gradient sums, normalise backward) on cpu and on
 * OpenCL against their double-precision definitions, over batches of 1, 3, 1023 and 4097 rows and
 * 1, 7, 13, 130, 257 and 1024 channels ([N, C]), and over a few [N, C, L] shapes with long and
 * odd spatial extents.
 *
 * <p>Tolerance, as in {@link DeviceParityTest}: each device within {@value #RTOL} of
 * {@code |reference| + scale} (scale: the sum of the absolute values of the terms of a result),
 * the two devices within twice that of each other.
 */
class ChannelNormParityTest {

    static final double RTOL = 1e-5;

    @RegisterExtension
    static final TestDevices DEVICES = new TestDevices();

    static Stream<Arguments> shapes() {
        List<Arguments> all = new ArrayList<>();
        for (int batch : new int[] {1, 3, 1023, 4097}) {
            for (int channels : new int[] {1, 7, 13, 130, 257, 1024}) {
                all.add(Arguments.of(batch, channels, 1));
            }
        }
        int[][] spatialShapes = {{1, 7, 1023}, {3, 13, 4097}, {2, 3, 64}, {257, 5, 9}, {4097, 2, 3}};
        for (int[] s : spatialShapes) {
            all.add(Arguments.of(s[0], s[1], s[2]));
        }
        return all.stream();
    }

    /** {@link Parity#check} on this class's devices at {@value #RTOL}. */
    private static void check(String what, Parity.Op op, Result... expected) {
        Parity.check(DEVICES, RTOL, what, op, expected);
    }

    private static Random random(int... shape) {
        return Reference.random(41, shape);
    }

    @ParameterizedTest(name = "channel norm primitives {0} x {1} x {2}")
    @MethodSource("shapes")
    void primitives(int batch, int channels, int spatial) {
        Random r = random(batch, channels, spatial);
        int n = batch * channels * spatial;
        // An offset per channel, as batch statistics meet it: the centering has to matter.
        float[] x = Reference.gaussian(r, n, 1.5, 0);
        float[] offsets = Reference.gaussian(r, channels, 2, 0.5);
        for (int i = 0; i < n; i++) {
            x[i] += offsets[(i / spatial) % channels];
        }
        float[] dy = Reference.gaussian(r, n, 1, 0.1);
        float[] center = Reference.gaussian(r, channels, 1, 0);
        float[] scale = Reference.gaussian(r, channels, 0.5, 1);
        float[] shift = Reference.gaussian(r, channels, 0.5, 0);
        float[] xScale = Reference.gaussian(r, channels, 0.5, 0);

        check("channel moments", (d, s) -> {
            DeviceBuffer mean = s.zeros(channels);
            DeviceBuffer var = s.zeros(channels);
            d.channelMoments(s.up(x), mean, var, batch, channels, spatial);
            return List.of(mean, var);
        }, ChannelReference.moments(x, batch, channels, spatial));
        check("channel normalize", (d, s) -> {
            DeviceBuffer y = s.zeros(n);
            d.channelNormalize(s.up(x), s.up(center), s.up(scale), s.up(shift), y, batch, channels, spatial);
            return List.of(y);
        }, ChannelReference.normalize(x, center, scale, shift, batch, channels, spatial));
        check("channel normalize in place without center and shift", (d, s) -> {
            DeviceBuffer y = s.up(x);
            d.channelNormalize(y, null, s.up(scale), null, y, batch, channels, spatial);
            return List.of(y);
        }, ChannelReference.normalize(x, null, scale, null, batch, channels, spatial));
        check("channel gradient sums", (d, s) -> {
            DeviceBuffer sumDy = s.zeros(channels);
            DeviceBuffer sumDyX = s.zeros(channels);
            d.channelGradientSums(s.up(x), s.up(center), s.up(dy), sumDy, sumDyX, batch, channels, spatial);
            return List.of(sumDy, sumDyX);
        }, ChannelReference.gradientSums(x, center, dy, batch, channels, spatial));
        check("channel gradient sums, one at a time", (d, s) -> {
            DeviceBuffer sumDy = s.zeros(channels);
            DeviceBuffer sumDyX = s.zeros(channels);
            DeviceBuffer xb = s.up(x);
            DeviceBuffer dyb = s.up(dy);
            d.channelGradientSums(xb, null, dyb, sumDy, null, batch, channels, spatial);
            d.channelGradientSums(xb, null, dyb, null, sumDyX, batch, channels, spatial);
            return List.of(sumDy, sumDyX);
        }, ChannelReference.gradientSums(x, null, dy, batch, channels, spatial));
        check("channel normalize backward over dy", (d, s) -> {
            DeviceBuffer grad = s.up(dy);
            d.channelNormalizeBackward(s.up(x), s.up(center), grad, s.up(scale), s.up(xScale), s.up(shift), grad,
                    batch, channels, spatial);
            return List.of(grad);
        }, ChannelReference.backward(x, center, dy, scale, xScale, shift, batch, channels, spatial));
        check("channel normalize backward, dy scale only", (d, s) -> {
            DeviceBuffer dx = s.zeros(n);
            d.channelNormalizeBackward(s.up(x), null, s.up(dy), s.up(scale), null, null, dx, batch, channels,
                    spatial);
            return List.of(dx);
        }, ChannelReference.backward(x, null, dy, scale, null, null, batch, channels, spatial));
    }

    @Test
    void cpuResultsAreTheSameBytesWhateverTheThreadCount() {
        int batch = 1029;
        int channels = 13;
        int spatial = 5;
        Random r = random(batch, channels, spatial, 99);
        int n = batch * channels * spatial;
        float[] x = Reference.gaussian(r, n, 2, 1);
        float[] dy = Reference.gaussian(r, n, 1, 0);
        List<float[]> first = null;
        for (int threads : new int[] {1, 2, 3}) {
            try (CpuDevice d = new CpuDevice(threads)) {
                List<float[]> got = Parity.on(d, (dev, s) -> {
                    DeviceBuffer xb = s.up(x);
                    DeviceBuffer mean = s.zeros(channels);
                    DeviceBuffer var = s.zeros(channels);
                    dev.channelMoments(xb, mean, var, batch, channels, spatial);
                    DeviceBuffer sumDy = s.zeros(channels);
                    DeviceBuffer sumDyX = s.zeros(channels);
                    dev.channelGradientSums(xb, mean, s.up(dy), sumDy, sumDyX, batch, channels, spatial);
                    DeviceBuffer y = s.zeros(n);
                    dev.channelNormalize(xb, mean, var, sumDy, y, batch, channels, spatial);
                    return List.of(mean, var, sumDy, sumDyX, y);
                });
                if (first == null) {
                    first = got;
                } else {
                    for (int i = 0; i < got.size(); i++) {
                        assertThat(Arrays.equals(got.get(i), first.get(i)))
                                .as("output %d with %d threads equals that with 1 thread, bit for bit", i, threads)
                                .isTrue();
                    }
                }
            }
        }
    }

    @Test
    void badShapesAndOverlapsAreRefusedNamingTheArgument() {
        ComputeDevice cpu = DEVICES.cpu();
        DeviceBuffer x = cpu.allocate(12);
        DeviceBuffer c = cpu.allocate(3);
        DeviceBuffer v = cpu.allocate(3);
        try {
            assertThatThrownBy(() -> cpu.channelMoments(x, c, v, 2, 3, 3))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x has 12 floats");
            assertThatThrownBy(() -> cpu.channelMoments(x, c, c, 2, 3, 2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different buffers");
            assertThatThrownBy(() -> cpu.channelNormalize(x, null, c, null, x, 0, 3, 4))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch");
            assertThatThrownBy(() -> cpu.channelNormalize(x, null, null, null, x, 1, 3, 4))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scale is null");
            assertThatThrownBy(() -> cpu.channelNormalizeBackward(x.slice(0, 3), null, x.slice(0, 3), c, null, null,
                    x.slice(1, 3), 1, 3, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partly overlaps");
            assertThatThrownBy(() -> cpu.evoNormForward(EvoNormKind.B0, x, c, c, null, v, 1, 3, 4, 3))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channelStat is null");
            assertThatThrownBy(() -> cpu.evoNormForward(EvoNormKind.S0, x, c, c, null, v, 1, 3, 4, 2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("divide the 3 channels");
            assertThatThrownBy(() -> cpu.channelMoments(x, c, v, 65536, 65536, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("larger than one buffer");
        } finally {
            cpu.free(x);
            cpu.free(c);
            cpu.free(v);
        }
    }
}
