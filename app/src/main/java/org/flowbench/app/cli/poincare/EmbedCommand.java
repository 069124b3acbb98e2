package org.flowbench.app.cli.poincare;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flowbench.app.cli.JsonOption;
import org.flowbench.app.cli.OptionChecks;
import org.flowbench.app.cli.ReplaceOutOption;
import org.flowbench.app.cli.SeedOption;
import org.flowbench.compute.embedding.EmbeddingConfig;
import org.flowbench.compute.embedding.EmbeddingFiles;
import org.flowbench.compute.embedding.EmbeddingTrainer;
import org.flowbench.compute.embedding.HierarchyEmbedding;
import org.flowbench.compute.embedding.Manifold;
import org.flowbench.compute.embedding.ReconstructionEvaluation;
import org.flowbench.compute.hierarchy.EdgeList;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flowbench embed}: trains an embedding of a hierarchy (Nickel and Kiela 2017) and writes it. */
@Command(name = "embed",
        description = "Embed a hierarchy (CSV id1,id2[,weight] or TSV pairs, id1 the hyponym) on the Poincaré ball, "
                + "the Lorentz hyperboloid or Euclidean space. Defaults are the reference mammal settings.",
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class EmbedCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--edges", paramLabel = "FILE", required = true, description = "Edge list: CSV id1,id2[,weight] or TSV pairs.")
    Path edges;

    @Option(names = "--manifold", paramLabel = "poincare|lorentz|euclidean", defaultValue = "poincare", description = "Space to embed into (default: ${DEFAULT-VALUE}).")
    String manifold;

    @Option(names = "--dim", paramLabel = "D", defaultValue = "5", description = "Dimension (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "300", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "0.3", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--negatives", paramLabel = "K", defaultValue = "50", description = "Negatives per edge (default: ${DEFAULT-VALUE}).")
    int negatives;

    @Option(names = "--burn-in", paramLabel = "B", defaultValue = "20", description = "Burn-in epochs (default: ${DEFAULT-VALUE}).")
    int burnIn;

    @Option(names = "--burn-in-multiplier", paramLabel = "M", defaultValue = "0.01",
            description = "Learning rate factor during burn-in (default: ${DEFAULT-VALUE}, the reference embed.py's).")
    double burnInMultiplier;

    @Option(names = "--dampening", paramLabel = "P", defaultValue = "0.75",
            description = "Burn-in negatives are drawn proportionally to degree^P (default: ${DEFAULT-VALUE}).")
    double dampening;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "10", description = "Edges per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: the cores, at most 8). Results do not depend on it.")
    Integer threads;

    @CommandLine.Mixin
    SeedOption seedOption;

    @Option(names = "--eval", description = "Evaluate reconstruction (mean rank, MAP) after training.")
    boolean eval;

    @Option(names = "--log-every", paramLabel = "N", defaultValue = "10", description = "Print an epoch line on stderr every N epochs (default: ${DEFAULT-VALUE}).")
    int logEvery;

    @Option(names = "--out", paramLabel = "FILE", required = true,
            description = "Embedding to write: .tsv (name<TAB>x1...; hyperboloid coordinates for lorentz), .txt (word2vec text) or .safetensors.")
    Path out;

    @CommandLine.Mixin
    ReplaceOutOption replace;

    @CommandLine.Mixin
    JsonOption.InsteadOfLines json;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        PoincareCli.checkWritable("--out", out, replace.force());
        EmbeddingFiles.formatOf(out);
        OptionChecks.positive("--epochs", epochs);
        OptionChecks.positive("--log-every", logEvery);
        long seed = seedOption.seed();
        int workers = threads == null ? PoincareCli.defaultThreads() : threads;
        EmbeddingConfig config = new EmbeddingConfig(Manifold.byName(manifold), dim, epochs, lr, negatives, burnIn, burnInMultiplier,
                dampening, batch, seed, workers);
        EdgeList hierarchy = PoincareCli.readHierarchy(edges);
        stderr.printf(Locale.ROOT, "embedding %s: %d nodes, %d edges; %s threads=%d%n", edges.getFileName(), hierarchy.nodeCount(),
                hierarchy.edgeCount(), config.describe(), workers);
        stderr.flush();
        long started = System.nanoTime();
        long cpuStarted = PoincareCli.processCpuNanos();
        double[] lastLoss = {Double.NaN};
        HierarchyEmbedding embedding = new EmbeddingTrainer(hierarchy, config).train(report -> {
            lastLoss[0] = report.loss();
            if (report.epoch() % logEvery == 0 || report.epoch() == report.epochs() || report.epoch() == 1) {
                stderr.printf(Locale.ROOT, "epoch %d/%d loss %.6f lr %s%s (%.2f s)%n", report.epoch(), report.epochs(), report.loss(),
                        report.learningRate(), report.burnIn() ? " burn-in" : "", report.seconds());
                stderr.flush();
            }
        }, null);
        double trainSeconds = (System.nanoTime() - started) / 1e9;
        double trainCpuSeconds = (PoincareCli.processCpuNanos() - cpuStarted) / 1e9;
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("training", config.describe());
        meta.put("seed", Long.toString(seed));
        meta.put("edges_file", edges.getFileName().toString());
        EmbeddingFiles.write(out, embedding, meta);
        stderr.printf(Locale.ROOT, "trained in %.1f s (%.1f s of processor time); wrote %s%n", trainSeconds, trainCpuSeconds, out);
        stderr.flush();
        ReconstructionEvaluation.Result result = null;
        if (eval) {
            result = ReconstructionEvaluation.evaluate(embedding, hierarchy.parents(), workers);
        }
        if (json.requested()) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("edges_file", edges.toString());
            o.put("nodes", hierarchy.nodeCount());
            o.put("edges", hierarchy.edgeCount());
            o.put("manifold", config.manifold().name());
            o.put("dim", dim);
            o.put("epochs", epochs);
            o.put("lr", lr);
            o.put("negatives", negatives);
            o.put("burn_in", burnIn);
            o.put("batch", batch);
            o.put("seed", seed);
            o.put("threads", workers);
            o.put("final_loss", lastLoss[0]);
            o.put("train_seconds", trainSeconds);
            o.put("train_cpu_seconds", trainCpuSeconds);
            if (result != null) {
                o.put("mean_rank", result.meanRank());
                o.put("map", result.meanAveragePrecision());
                o.put("eval_seconds", result.seconds());
            }
            o.put("out", out.toString());
            stdout.println(o);
        } else {
            stdout.printf(Locale.ROOT, "final_loss %.6f%n", lastLoss[0]);
            stdout.printf(Locale.ROOT, "train_seconds %.2f%n", trainSeconds);
            stdout.printf(Locale.ROOT, "train_cpu_seconds %.2f%n", trainCpuSeconds);
            if (result != null) {
                stdout.printf(Locale.ROOT, "mean_rank %.4f%n", result.meanRank());
                stdout.printf(Locale.ROOT, "map %.4f%n", result.meanAveragePrecision());
            }
            stdout.printf(Locale.ROOT, "out %s%n", out);
        }
        stdout.flush();
        return 0;
    }
}
