package org.flowbench.app.cli.gflownet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flowbench.app.cli.DeviceOptions;
import org.flowbench.app.cli.JsonOption;
import org.flowbench.app.cli.OptionChecks;
import org.flowbench.app.cli.SeedOption;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.gflownet.GfnModelFile;
import org.flowbench.compute.gflownet.GfnTraining;
import org.flowbench.compute.nn.MlpArchitecture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code flowbench train-gfn}: trains a GFlowNet and saves it as a safetensors checkpoint. */
@Command(name = "train-gfn",
        description = "Train a GFlowNet on a HyperGrid or a set generation task and save it as a safetensors checkpoint.",
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class TrainGfnCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    EnvironmentOption env;

    @Option(names = "--loss", paramLabel = "tb|db|subtb:L|fldb|fm", defaultValue = "tb", description = "Objective (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--hidden", paramLabel = "W,W,...", defaultValue = "256,256", description = "Hidden layer widths (default: ${DEFAULT-VALUE}).")
    String hidden;

    @Option(names = "--activation", paramLabel = "relu|silu|selu|tanh|gelu", defaultValue = "relu", description = "Hidden activation (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "16", description = "Trajectories per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--trajectories", paramLabel = "N", defaultValue = "32000", description = "Trajectories drawn in all (default: ${DEFAULT-VALUE}).")
    long trajectories;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "1e-3", description = "Adam learning rate of the network (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--logz-lr", paramLabel = "RATE", defaultValue = "0.1", description = "Adam learning rate of log Z (default: ${DEFAULT-VALUE}).")
    double logZLr;

    @Option(names = "--epsilon", paramLabel = "E", defaultValue = "0", description = "Share of uniformly random actions while sampling (default: ${DEFAULT-VALUE}).")
    double epsilon;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "1", description = "Softmax temperature while sampling (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--replay", paramLabel = "N", defaultValue = "0", description = "Replay buffer capacity, 0 for none (default: ${DEFAULT-VALUE}).")
    int replay;

    @Option(names = "--replay-batch", paramLabel = "N", defaultValue = "0", description = "Replayed trajectories added to each step (default: ${DEFAULT-VALUE}).")
    int replayBatch;

    @Option(names = "--incomplete", description = "Cut every trajectory after a random number of moves, its reward unseen (db, fldb).")
    boolean incomplete;

    @Option(names = "--eval-every", paramLabel = "N", defaultValue = "1024", description = "Trajectories between measurements (default: ${DEFAULT-VALUE}).")
    long evalEvery;

    @CommandLine.Mixin
    SeedOption seedOption;

    @CommandLine.Mixin
    DeviceOptions device;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Checkpoint to write (.safetensors).")
    Path out;

    @Option(names = "--history", paramLabel = "FILE", description = "CSV of the measurements made during training.")
    Path history;

    @Option(names = "--force", description = "Replace existing output files.")
    boolean force;

    @CommandLine.Mixin
    JsonOption.InsteadOfLines json;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        GfnTraining.Config config = config();
        GfnCli.writable("--out", out, force);
        GfnCli.writable("--history", history, force);
        try (ComputeDevice computeDevice = device.open(stderr)) {
            stderr.printf(Locale.ROOT, "train-gfn %s, loss %s, %d trajectories in batches of %d on %s%n", config.environment(),
                    config.loss(), config.trajectories(), config.batchSize(), computeDevice.name());
            stderr.flush();
            GfnProgressBar bar = new GfnProgressBar(stderr);
            GfnTraining.Trained trained = GfnTraining.train(computeDevice, config, bar, bar, null);
            GfnModelFile.save(out, trained);
            if (history != null) {
                writeHistory(history, trained.history());
            }
            GfnTraining.Snapshot last = trained.last();
            stderr.printf(Locale.ROOT, "%d trajectories in %.2f s (training %.2f s, measuring %.2f s)%n", config.trajectories(),
                    trained.seconds(), trained.trainingSeconds(), trained.seconds() - trained.trainingSeconds());
            if (json.requested()) {
                ObjectNode o = new ObjectMapper().createObjectNode();
                o.put("env", config.environment());
                o.put("loss", config.loss());
                o.put("trajectories", config.trajectories());
                o.put("seed", seedOption.seed());
                putSnapshot(o, last);
                o.put("seconds", trained.seconds());
                o.put("training_seconds", trained.trainingSeconds());
                o.put("checkpoint", out.toString());
                stdout.println(o);
            } else {
                stdout.printf(Locale.ROOT, "l1 %s%n", GfnCli.fixed(last.l1()));
                stdout.printf(Locale.ROOT, "jsd %s%n", GfnCli.fixed(last.jsd()));
                stdout.printf(Locale.ROOT, "log_z %s%n", GfnCli.fixed(last.logZEstimate()));
                stdout.printf(Locale.ROOT, "log_z_error %s%n", GfnCli.fixed(last.logZError()));
                stdout.printf(Locale.ROOT, "edge_flow_error %s%n", GfnCli.fixed(last.edgeFlowError()));
                if (last.modesFound() >= 0) {
                    stdout.printf(Locale.ROOT, "modes_found %d%n", last.modesFound());
                } else {
                    stdout.printf(Locale.ROOT, "top100_reward %s%n", GfnCli.fixed(last.topMeanReward()));
                }
                stdout.printf(Locale.ROOT, "seconds %.3f%n", trained.seconds());
                stdout.printf(Locale.ROOT, "checkpoint %s%n", out);
            }
            stdout.flush();
        }
        return 0;
    }

    static void putSnapshot(ObjectNode o, GfnTraining.Snapshot s) {
        putNumber(o, "l1", s.l1());
        putNumber(o, "jsd", s.jsd());
        putNumber(o, "log_z", s.logZEstimate());
        putNumber(o, "log_z_error", s.logZError());
        putNumber(o, "edge_flow_error", s.edgeFlowError());
        if (s.modesFound() >= 0) {
            o.put("modes_found", s.modesFound());
        }
        putNumber(o, "top100_reward", s.topMeanReward());
    }

    static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isNaN(v)) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }

    private static void writeHistory(Path file, List<GfnTraining.Snapshot> snapshots) throws java.io.IOException {
        GfnCli.writeText(file, w -> {
            w.write("trajectories,step,loss,log_z,log_z_error,l1,jsd,edge_flow_error,modes_found,top100_reward,seconds\n");
            for (GfnTraining.Snapshot s : snapshots) {
                w.write(s.trajectoriesSeen() + "," + s.step() + "," + GfnCli.number(s.loss()) + "," + GfnCli.number(s.logZEstimate())
                        + "," + GfnCli.number(s.logZError()) + "," + GfnCli.number(s.l1()) + "," + GfnCli.number(s.jsd()) + ","
                        + GfnCli.number(s.edgeFlowError()) + "," + (s.modesFound() >= 0 ? Integer.toString(s.modesFound()) : "")
                        + "," + GfnCli.number(s.topMeanReward()) + "," + GfnCli.number(s.seconds()) + "\n");
            }
        });
    }

    GfnTraining.Config config() {
        OptionChecks.positive("--batch", batch);
        OptionChecks.positiveFinite("--lr", lr);
        OptionChecks.positiveFinite("--logz-lr", logZLr);
        OptionChecks.positiveFinite("--temperature", temperature);
        OptionChecks.positive("--trajectories", trajectories);
        OptionChecks.positive("--eval-every", evalEvery);
        try {
            return new GfnTraining.Config(env.spec(), loss, MlpArchitecture.parseWidths(hidden), Activation.parse(activation), batch,
                    trajectories, lr, logZLr, epsilon, temperature, seedOption.seed(), replay, replayBatch, incomplete, evalEvery);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--hidden '" + hidden + "' is not a list of whole numbers");
        }
    }
}
