package org.flowbench.compute.gflownet;

import org.flowbench.compute.device.cpu.CpuDevice;
import org.junit.jupiter.api.Test;

class ScratchRunTest {
    @Test
    void run() {
        String[] specs = System.getProperty("runs", "hypergrid:D=2,H=8|tb|32000|0").split(";");
        try (CpuDevice device = new CpuDevice(2)) {
            for (String spec : specs) {
                String[] p = spec.split("\\|");
                GfnTraining.Config c = GfnTraining.Config.standard(p[0], p[1], Long.parseLong(p[2]), Long.parseLong(p[3]))
                        .withEvaluateEvery(Long.getLong("every", 4000));
                if (p.length > 4) { c = new GfnTraining.Config(c.environment(), c.loss(), c.hidden(), c.activation(), Integer.parseInt(p[5]), c.trajectories(), Double.parseDouble(p[6]), Double.parseDouble(p[4]), c.epsilon(), c.temperature(), c.seed(), 0, 0, false, c.evaluateEvery()); }
                GfnTraining.Trained t = GfnTraining.train(device, c, null, s -> System.out.printf("  %d L1 %.4f jsd %.5f logZerr %.4f edge %.3f modes %d top %.4g loss %.4f%n",
                        s.trajectoriesSeen(), s.l1(), s.jsd(), s.logZError(), s.edgeFlowError(), s.modesFound(), s.topMeanReward(), s.loss()), null);
                System.out.printf("%s: L1 %.4f in %.1f s (training %.1f s)%n", spec, t.last().l1(), t.seconds(), t.trainingSeconds());
            }
        }
    }
}
