package org.flowbench.app.cli.poincare;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flowbench.app.cli.JsonOption;
import org.flowbench.compute.embedding.EmbeddingFiles;
import org.flowbench.compute.embedding.HierarchyEmbedding;
import org.flowbench.compute.embedding.Manifold;
import org.flowbench.compute.embedding.ReconstructionEvaluation;
import org.flowbench.compute.hierarchy.EdgeList;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flowbench eval-embedding}: reconstruction mean rank and MAP of an embedding against its hierarchy. */
@Command(name = "eval-embedding",
        description = "Score an embedding by reconstruction, as facebookresearch/poincare-embeddings does: for every node, "
                + "the rank of each ancestor's distance among the non-ancestors; mean rank and MAP.",
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class EvalEmbeddingCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--edges", paramLabel = "FILE", required = true, description = "Edge list the embedding was trained on.")
    Path edges;

    @Option(names = "--embedding", paramLabel = "FILE", required = true, description = "Embedding: .tsv, .txt (word2vec text) or .safetensors.")
    Path embedding;

    @Option(names = "--manifold", paramLabel = "poincare|lorentz|euclidean", defaultValue = "poincare",
            description = "Manifold of a text embedding (default: ${DEFAULT-VALUE}); a safetensors file names its own.")
    String manifold;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: the cores, at most 8).")
    Integer threads;

    @CommandLine.Mixin
    JsonOption.InsteadOfLines json;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        int workers = threads == null ? PoincareCli.defaultThreads() : threads;
        if (workers < 1 || workers > 256) {
            throw new IllegalArgumentException("--threads must be between 1 and 256, got " + workers);
        }
        Manifold m = Manifold.byName(manifold);
        EmbeddingFiles.formatOf(embedding);
        EdgeList hierarchy = PoincareCli.readHierarchy(edges);
        HierarchyEmbedding loaded = EmbeddingFiles.read(embedding, m);
        HierarchyEmbedding aligned = EmbeddingFiles.alignTo(loaded, hierarchy, embedding, edges);
        stderr.printf(Locale.ROOT, "evaluating %s (%s, dim %d) on %s: %d nodes, %d edges, %d threads%n", embedding.getFileName(),
                aligned.manifold().name(), aligned.dim(), edges.getFileName(), hierarchy.nodeCount(), hierarchy.edgeCount(), workers);
        stderr.flush();
        int n = hierarchy.nodeCount();
        AtomicLong lastReport = new AtomicLong(System.nanoTime());
        ReconstructionEvaluation.Result r = ReconstructionEvaluation.evaluate(aligned, hierarchy.parents(), workers, done -> {
            long now = System.nanoTime();
            long last = lastReport.get();
            if (now - last > 5_000_000_000L && lastReport.compareAndSet(last, now)) {
                synchronized (stderr) {
                    stderr.printf(Locale.ROOT, "%d/%d nodes%n", done, n);
                    stderr.flush();
                }
            }
        }, null);
        if (json.requested()) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("edges_file", edges.toString());
            o.put("embedding", embedding.toString());
            o.put("manifold", aligned.manifold().name());
            o.put("dim", aligned.dim());
            o.put("nodes", n);
            o.put("edges", hierarchy.edgeCount());
            o.put("mean_rank", r.meanRank());
            o.put("map", r.meanAveragePrecision());
            o.put("pairs", r.pairs());
            o.put("seconds", r.seconds());
            stdout.println(o);
        } else {
            stdout.printf(Locale.ROOT, "mean_rank %.4f%n", r.meanRank());
            stdout.printf(Locale.ROOT, "map %.4f%n", r.meanAveragePrecision());
            stdout.printf(Locale.ROOT, "pairs %d%n", r.pairs());
            stdout.printf(Locale.ROOT, "seconds %.2f%n", r.seconds());
        }
        stdout.flush();
        return 0;
    }
}
