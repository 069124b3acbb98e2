package org.flowbench.compute.device.cpu;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The Vector API loops of the cpu device's flow attention: the running-state updates give the
 * floats of the plain loops (so the device's bytes do not depend on the JVM option), and the dot
 * product agrees with a double-precision one.
 */
class FlowAttentionKernelsTest {

    @Test
    void theVectorStateUpdatesGiveTheFloatsOfThePlainLoops() {
        assertThat(Simd.available()).as("the tests run with " + Simd.JVM_OPTION).isTrue();
        Random random = new Random(3);
        for (int n = 1; n <= 70; n++) {
            float[] state = new float[n + 5];
            float[] x = new float[n + 2];
            float[] acc = new float[n];
            for (int i = 0; i < state.length; i++) {
                state[i] = (float) random.nextGaussian();
            }
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
            for (int i = 0; i < n; i++) {
                acc[i] = (float) random.nextGaussian();
            }
            float a = (float) random.nextGaussian();
            float b = (float) random.nextGaussian();
            float[] plainState = state.clone();
            float[] plainAcc = acc.clone();
            float[] axpyState = state.clone();
            float[] plainAxpy = state.clone();
            for (int i = 0; i < n; i++) {
                float s = plainState[5 + i] + a * x[2 + i];
                plainState[5 + i] = s;
                plainAcc[i] += b * s;
                plainAxpy[5 + i] += a * x[2 + i];
            }
            VectorKernels.rankOneAccumulate(state, 5, a, x, 2, b, acc, n);
            VectorKernels.axpyInPlace(axpyState, 5, a, x, 2, n);
            assertThat(state).as("state, n = %d", n).containsExactly(plainState);
            assertThat(acc).as("acc, n = %d", n).containsExactly(plainAcc);
            assertThat(axpyState).as("axpy, n = %d", n).containsExactly(plainAxpy);
        }
    }

    @Test
    void theVectorDotProductMatchesDoublePrecision() {
        Random random = new Random(5);
        for (int n = 1; n <= 70; n++) {
            float[] a = new float[n + 3];
            float[] b = new float[n + 1];
            double exact = 0;
            double absolute = 0;
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) random.nextGaussian();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) random.nextGaussian();
            }
            for (int i = 0; i < n; i++) {
                exact += (double) a[3 + i] * b[1 + i];
                absolute += Math.abs((double) a[3 + i] * b[1 + i]);
            }
            assertThat((double) VectorKernels.dot(a, 3, b, 1, n)).as("n = %d", n)
                    .isCloseTo(exact, within(n * 1.2e-7 * absolute));
        }
    }
}
