package org.flowbench.compute.train;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class OptimizerTest {

    private static ComputeDevice device;

    @BeforeAll
    static void open() {
        device = new CpuDevice(1);
    }

    @AfterAll
    static void close() {
        device.close();
    }

    @Test
    void adamWDecaysWeightsDirectlyAndAdamDoesNot() {
        float[] start = {1f, -2f, 0.5f};
        DeviceBuffer zeroGradient = device.allocate(3);
        for (OptimizerConfig config : new OptimizerConfig[] {OptimizerConfig.adam(0.1), OptimizerConfig.adamW(0.1, 0.5)}) {
            DeviceBuffer p = device.upload(start);
            try (Optimizer optimizer = new Optimizer(device, config, 3)) {
                for (int i = 0; i < 3; i++) {
                    optimizer.step(p, zeroGradient);
                }
                assertThat(optimizer.steps()).isEqualTo(3);
            }
            float[] after = device.download(p);
            double factor = config.kind() == OptimizerConfig.Kind.ADAMW ? Math.pow(1 - 0.1 * 0.5, 3) : 1;
            for (int k = 0; k < 3; k++) {
                assertThat((double) after[k]).as(config.spec()).isCloseTo(start[k] * factor, within(1e-6));
            }
            device.free(p);
        }
    }

    @Test
    void firstAdamStepMovesEachParameterByTheLearningRateAgainstItsGradientSign() {
        DeviceBuffer p = device.upload(new float[] {0f, 0f});
        DeviceBuffer g = device.upload(new float[] {3f, -0.01f});
        try (Optimizer optimizer = new Optimizer(device, OptimizerConfig.adam(0.01), 2)) {
            optimizer.step(p, g);
        }
        float[] after = device.download(p);
        assertThat(after[0]).isCloseTo(-0.01f, within(1e-6f));
        assertThat(after[1]).isCloseTo(0.01f, within(1e-5f));
    }

    @Test
    void weightAverageFollowsItsRecurrence() {
        DeviceBuffer p = device.upload(new float[] {0f});
        try (WeightAverage ema = new WeightAverage(device, p, 0.9)) {
            device.upload(new float[] {1f}, p);
            ema.update(p);
            ema.update(p);
            assertThat((double) ema.values()[0]).isCloseTo(1 - 0.9 * 0.9, within(1e-6));
        }
        assertThatThrownBy(() -> new WeightAverage(device, p, 1.0)).hasMessageContaining("EMA decay must be in (0, 1)");
        assertThatThrownBy(() -> OptimizerConfig.adamW(Double.NaN)).hasMessageContaining("learning rate");
        assertThatThrownBy(() -> OptimizerConfig.adamW(1e-3, -1)).hasMessageContaining("weight decay");
        assertThatThrownBy(() -> OptimizerConfig.parse("sgd", 1e-3, 0)).hasMessageContaining("unknown optimizer 'sgd'");
    }
}
