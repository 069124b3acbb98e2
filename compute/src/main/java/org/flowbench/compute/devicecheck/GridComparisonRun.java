package org.flowbench.compute.devicecheck;

import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.gflownet.GfnTraining;
import org.flowbench.compute.train.TrainingProgress;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One GFlowNet run of the HyperGrid comparison (TB, DB, SubTB on 4D H=8 and 2D H=64 at R0 0.1 and
 * 0.01), with the settings of {@code samples/gflownet-acceptance.sh}'s grid part (2 x 256 ReLU,
 * Adam 1e-3, log Z 0.1, batch 16, exact measurements every 2,000 trajectories), its snapshots
 * appended to a CSV as they come, for machines with cores but no app jar (the GPU check kit):
 * <pre>
 * GridComparisonRun --env hypergrid:D=4,H=8,R0=0.01 --loss tb --seed 1 --trajectories 32000 --out run.csv
 * </pre>
 * Rows: {@code env,loss,seed,trajectories,l1,log_z_error,modes_found,seconds}.
 */
public final class GridComparisonRun {

    private GridComparisonRun() {
    }

    public static void main(String[] args) throws IOException {
        String env = null;
        String loss = "tb";
        Path out = null;
        long seed = 0;
        long trajectories = 32_000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--env" -> env = v;
                case "--loss" -> loss = v;
                case "--out" -> out = Path.of(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--trajectories" -> trajectories = Long.parseLong(v);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (env == null || out == null) {
            System.err.println("--env ENV and --out FILE are required");
            System.exit(2);
        }
        GfnTraining.Config config = new GfnTraining.Config(env, loss, new int[] {256, 256}, Activation.RELU, 16,
                trajectories, 1e-3, 0.1, 0, 1, seed, 0, 0, false, 2000);
        String envName = env;
        String lossName = loss;
        long seedOut = seed;
        try (CpuDevice device = new CpuDevice(1);
             PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            w.println("env,loss,seed,trajectories,l1,log_z_error,modes_found,seconds");
            w.flush();
            GfnTraining.train(device, config, TrainingProgress.NONE, s -> {
                w.printf(Locale.ROOT, "\"%s\",%s,%d,%d,%.6g,%.6g,%d,%.1f%n", envName, lossName, seedOut,
                        s.trajectoriesSeen(), s.l1(), s.logZError(), s.modesFound(), s.seconds());
                w.flush();
            }, null);
        }
    }
}
