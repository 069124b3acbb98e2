package org.flowbench.app.cli.poincare;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flowbench.app.cli.JsonOption;
import org.flowbench.app.cli.ReplaceOutOption;
import org.flowbench.compute.hierarchy.EdgeList;
import org.flowbench.compute.hierarchy.EdgeListFiles;
import org.flowbench.compute.hierarchy.WordNetClosures;
import org.flowbench.compute.hierarchy.WordNetNouns;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flowbench wordnet-closure}: the transitive closure of a WordNet noun subtree as CSV rows id1,id2,weight. */
@Command(name = "wordnet-closure",
        description = "Write the transitive closure of a WordNet 3.0 noun subtree as CSV rows id1,id2,weight (id1 the hyponym).",
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class WordNetClosureCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--root", paramLabel = "SYNSET", defaultValue = "mammal.n.01",
            description = "Root synset, NLTK-style (default: ${DEFAULT-VALUE}); 'all' for the whole noun closure.")
    String root;

    @Option(names = "--wordnet", paramLabel = "DIR", defaultValue = "/usr/share/wordnet",
            description = "WordNet 3.0 database folder with data.noun and index.noun (default: ${DEFAULT-VALUE}, Debian's wordnet-base).")
    Path wordnet;

    @Option(names = "--no-filter",
            description = "Keep the rows the reference drops from its mammal closure (tusker.n.01, female_mammal.n.01).")
    boolean noFilter;

    @Option(names = "--out", paramLabel = "FILE.csv", required = true, description = "CSV file to write.")
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
        long started = System.nanoTime();
        stderr.println("reading WordNet nouns from " + wordnet);
        stderr.flush();
        WordNetNouns nouns = WordNetNouns.read(wordnet);
        boolean all = "all".equals(root);
        List<String> excluded = noFilter || all ? List.of() : WordNetClosures.referenceExclusions(root);
        EdgeList closure = all ? nouns.nounClosure() : nouns.subtreeClosure(root, excluded);
        EdgeListFiles.writeCsv(out, closure);
        double seconds = (System.nanoTime() - started) / 1e9;
        stderr.printf(Locale.ROOT, "wrote %s in %.1f s%n", out, seconds);
        stderr.flush();
        if (json.requested()) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("root", root);
            o.put("nodes", closure.nodeCount());
            o.put("edges", closure.edgeCount());
            o.put("excluded_hyponyms", String.join(" ", excluded));
            o.put("out", out.toString());
            stdout.println(o);
        } else {
            stdout.printf(Locale.ROOT, "root %s%n", root);
            stdout.printf(Locale.ROOT, "nodes %d%n", closure.nodeCount());
            stdout.printf(Locale.ROOT, "edges %d%n", closure.edgeCount());
            stdout.printf(Locale.ROOT, "out %s%n", out);
        }
        stdout.flush();
        return 0;
    }
}
