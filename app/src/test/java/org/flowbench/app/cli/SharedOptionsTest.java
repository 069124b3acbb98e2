package org.flowbench.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checks, mixins, text bodies and progress bar that several labs' commands share. */
class SharedOptionsTest {

    @TempDir
    Path dir;

    @Test
    void rangeAcceptsItsBoundsAndNamesTheOptionOutsideThem() {
        assertThat(OptionChecks.range("--k", 1, 1, 3)).isEqualTo(1);
        assertThat(OptionChecks.range("--k", 3, 1, 3)).isEqualTo(3);
        assertThatThrownBy(() -> OptionChecks.range("--k", 4, 1, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--k must be in [1, 3], got 4");
        assertThatThrownBy(() -> OptionChecks.range("--bytes", 1L << 40, 1, 1L << 26))
                .hasMessage("--bytes must be in [1, 67108864], got 1099511627776");
    }

    @Test
    void countsAndRatesRefuseZeroNegativeAndNonFiniteValues() {
        assertThat(OptionChecks.positive("--n", 1)).isEqualTo(1);
        assertThatThrownBy(() -> OptionChecks.positive("--n", 0)).hasMessage("--n must be a positive whole number, got 0");
        assertThatThrownBy(() -> OptionChecks.atMost("--n", 0, 5)).hasMessage("--n must be a positive whole number, got 0");
        assertThatThrownBy(() -> OptionChecks.atMost("--n", 6, 5)).hasMessage("--n must be at most 5, got 6");
        assertThat(OptionChecks.positiveFinite("--lr", 1e-3)).isEqualTo(1e-3);
        assertThatThrownBy(() -> OptionChecks.positiveFinite("--lr", Double.NaN))
                .hasMessage("--lr must be a positive finite number, got NaN");
        assertThatThrownBy(() -> OptionChecks.positiveFinite("--lr", Double.POSITIVE_INFINITY))
                .hasMessage("--lr must be a positive finite number, got Infinity");
        assertThat(OptionChecks.nonNegative("--d", 0)).isZero();
        assertThatThrownBy(() -> OptionChecks.nonNegative("--d", -0.5))
                .hasMessage("--d must be a non-negative finite number, got -0.5");
    }

    @Test
    void anInputFileMustExistAndBeARegularFile() throws IOException {
        Path file = Files.writeString(dir.resolve("m.csv"), "x");
        assertThat(OptionChecks.existingFile("--model", file)).isEqualTo(file);
        assertThatThrownBy(() -> OptionChecks.existingFile("--model", dir.resolve("none.csv")))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("no such file (--model)");
        assertThatThrownBy(() -> OptionChecks.existingFile("--model", dir))
                .hasMessage("--model " + dir + " is not a regular file");
        assertThatThrownBy(() -> OptionChecks.existingFile("--model", null)).hasMessage("--model is required");
    }

    @Test
    void replaceOutRefusesAnExistingFileOnlyWithoutForce() throws IOException {
        Path out = Files.writeString(dir.resolve("run.csv"), "old");
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs();
        assertThatThrownBy(() -> probe.replace.refuseExisting(out)).hasMessage(out + " exists; pass --force to replace it");
        probe.replace.refuseExisting(dir.resolve("new.csv"));

        Probe forced = new Probe();
        new CommandLine(forced).parseArgs("--force", "--json", "--seed", "7");
        forced.replace.refuseExisting(out);
        assertThat(forced.json.requested()).isTrue();
        assertThat(forced.seed.seed()).isEqualTo(7);
        assertThat(probe.json.requested()).isFalse();
        assertThat(probe.seed.seed()).isEqualTo(42);
    }

    @Test
    void textBodiesAreUtf8WithTheWritersLineEnds() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TextFiles.utf8(w -> w.write("x,é\n1,2\n")).writeTo(bytes);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("x,é\n1,2\n");
        assertThat(bytes.size()).isEqualTo(9);
    }

    @Test
    void theProgressBarDrawsOncePerPercentInTheGivenLossFormatAndAgainAfterRedrawNext() {
        StringWriter text = new StringWriter();
        FlowProgressBar bar = new FlowProgressBar(new PrintWriter(text), "train", "%.4g");
        bar.onStep(1, 1000, 0.5);
        bar.onStep(2, 1000, 0.5);
        String first = "\rtrain [" + ".".repeat(30) + "]   0% step 1/1000 loss 0.5000";
        assertThat(text.toString()).isEqualTo(first);
        bar.redrawNext();
        bar.onStep(3, 1000, 0.5);
        assertThat(text.toString()).isEqualTo(first + "\rtrain [" + ".".repeat(30) + "]   0% step 3/1000 loss 0.5000");
        bar.onStep(1000, 1000, 0.5);
        assertThat(text.toString()).endsWith("\rtrain [" + "#".repeat(30) + "] 100% step 1000/1000 loss 0.5000"
                + System.lineSeparator());

        StringWriter fixed = new StringWriter();
        new FlowProgressBar(new PrintWriter(fixed), "distill").onStep(1, 2, 0.25);
        assertThat(fixed.toString()).isEqualTo("\rdistill [" + "#".repeat(15) + ".".repeat(15) + "]  50% step 1/2 loss 0.2500");
    }

    @Command(name = "probe")
    static final class Probe {
        @CommandLine.Mixin
        SeedOption seed;

        @CommandLine.Mixin
        ReplaceOutOption replace;

        @CommandLine.Mixin
        JsonOption.InsteadOfLines json;
    }
}
