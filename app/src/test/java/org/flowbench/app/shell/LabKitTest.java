package org.flowbench.app.shell;

import org.flowbench.app.cli.FlowbenchCommand;
import org.flowbench.views.jobs.CurrentThreadTaskExecutor;
import org.flowbench.views.kitdemo.KitDemoLab;
import org.flowbench.views.lab.LabDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Adding a lab is a package of its own plus one entry in the lab list: the demo lab (test
 * sources, package org.flowbench.views.kitdemo) gets a place in the shell, its parameters,
 * its figure, {@code export --set} and its lesson, with no other file changed.
 */
class LabKitTest {

    @TempDir
    Path dir;

    private static List<Labs.Entry> withDemo() {
        List<Labs.Entry> entries = new ArrayList<>(Labs.entries());
        entries.add(new Labs.Entry(KitDemoLab.descriptor(), List.of()));
        return entries;
    }

    @Test
    void theShellBuildsTheLabOnItsFirstVisitWithItsParametersAndFigure() {
        List<LabDescriptor> descriptors = withDemo().stream().map(Labs.Entry::descriptor).toList();
        ShellModel model = new ShellModel(descriptors, AppTestContexts.direct(new CurrentThreadTaskExecutor()), KitDemoLab.ID);
        assertThat(model.currentLab().id()).isEqualTo(KitDemoLab.ID);
        assertThat(model.builtLabs()).extracting(l -> l.id()).containsExactly(KitDemoLab.ID);
        assertThat(model.currentLab().parameters().byKey("dots").get()).isEqualTo(8);
        assertThat(model.currentLab().currentFigure()).get().extracting(f -> f.title()).isEqualTo("8 dots");
        assertThat(model.currentLab().parameters().byKey("dots").trySet(12)).isNull();
        assertThat(model.currentLab().currentFigure()).get().extracting(f -> f.title()).isEqualTo("12 dots");
        model.close();
    }

    @Test
    void exportDrawsTheLabsFigureWithSetValues() throws Exception {
        var cli = FlowbenchCommand.create(withDemo());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(FlowbenchCommand.execute(cli, new String[] {"export", "--list"}, new PrintWriter(out), new PrintWriter(err)))
                .isZero();
        assertThat(out.toString()).contains("kit-demo-dots").contains("--set dots=8");

        Path svg = dir.resolve("dots.svg");
        int code = FlowbenchCommand.execute(FlowbenchCommand.create(withDemo()),
                new String[] {"export", "--figure", "kit-demo-dots", "--set", "dots=13", "--out", svg.toString()},
                new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        int drawn = doc.getElementsByTagName("ellipse").getLength() + doc.getElementsByTagName("circle").getLength()
                + doc.getElementsByTagName("path").getLength();
        assertThat(drawn).isEqualTo(13);

        StringWriter badErr = new StringWriter();
        int bad = FlowbenchCommand.execute(FlowbenchCommand.create(withDemo()),
                new String[] {"export", "--figure", "kit-demo-dots", "--set", "dots=0", "--out", dir.resolve("x.svg").toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(badErr));
        assertThat(bad).isEqualTo(2);
        assertThat(badErr.toString().strip().lines().reduce((a, b) -> b).orElse("")).isEqualTo("flowbench: figure 'kit-demo-dots': dots must be between 1 and 500 (got '0')");
    }
}
