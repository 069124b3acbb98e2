package org.flowbench.app.cli.lm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flowbench.app.cli.JsonOption;
import org.flowbench.app.cli.OptionChecks;
import org.flowbench.app.cli.ReplaceOutOption;
import org.flowbench.compute.checkpoint.AtomicFiles;
import org.flowbench.compute.lm.WordNetGlosses;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code flowbench wordnet-glosses}: a character corpus for train-lm from the glosses of WordNet 3.0. */
@Command(name = "wordnet-glosses",
        description = "Write a UTF-8 text corpus of WordNet 3.0 glosses, one per line (every k-th, to stay within --max-bytes), for train-lm --task text.",
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class WordNetGlossesCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--wordnet", paramLabel = "DIR", defaultValue = "/usr/share/wordnet",
            description = "WordNet 3.0 database folder with data.noun, data.verb, data.adj and data.adv "
                    + "(default: ${DEFAULT-VALUE}, Debian's wordnet-base).")
    Path wordnet;

    @Option(names = "--max-bytes", paramLabel = "N", defaultValue = "2000000",
            description = "Largest corpus in bytes (default: ${DEFAULT-VALUE}).")
    long maxBytes;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Text file to write.")
    Path out;

    @CommandLine.Mixin
    ReplaceOutOption replace;

    @CommandLine.Mixin
    JsonOption.InsteadOfLines json;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        OptionChecks.range("--max-bytes", maxBytes, 1, WordNetGlosses.MAX_CORPUS_BYTES);
        replace.refuseExisting(out);
        stderr.println("reading WordNet glosses from " + wordnet);
        stderr.flush();
        List<String> glosses = WordNetGlosses.read(wordnet);
        String corpus = WordNetGlosses.corpus(glosses, maxBytes);
        byte[] bytes = corpus.getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(out, bytes);
        long kept = corpus.chars().filter(c -> c == '\n').count();
        long distinct = corpus.codePoints().distinct().count();
        if (json.requested()) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("glosses", glosses.size());
            o.put("kept", kept);
            o.put("bytes", bytes.length);
            o.put("distinct_characters", distinct);
            o.put("out", out.toString());
            stdout.println(o);
        } else {
            stdout.printf(Locale.ROOT, "glosses %d%n", glosses.size());
            stdout.printf(Locale.ROOT, "kept %d%n", kept);
            stdout.printf(Locale.ROOT, "bytes %d%n", bytes.length);
            stdout.printf(Locale.ROOT, "distinct_characters %d%n", distinct);
            stdout.printf(Locale.ROOT, "out %s%n", out);
        }
        stdout.flush();
        return 0;
    }
}
