package org.flowbench.views.poincare;

import org.flowbench.compute.embedding.EmbeddingFiles;
import org.flowbench.compute.embedding.HierarchyEmbedding;
import org.flowbench.compute.embedding.PoincareManifold;
import org.flowbench.compute.hierarchy.EdgeListFiles;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.jobs.CurrentThreadTaskExecutor;
import org.flowbench.views.lab.TestLabContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The lab's view model on the calling thread: loading, the disc's view state, training, sessions and bad files. */
class PoincareLabTest {

    @TempDir
    Path dir;

    private final CurrentThreadTaskExecutor executor = new CurrentThreadTaskExecutor();

    private PoincareLab lab() {
        return new PoincareLab(TestLabContexts.direct(executor, new DeviceSelection()), true);
    }

    /** The disc of the bundled 2-D embedding, as the lab first shows it. */
    static PoincareDiscFigure sampleDisc() {
        PoincareLab lab = new PoincareLab(TestLabContexts.direct(new CurrentThreadTaskExecutor(), new DeviceSelection()), true);
        return lab.discProperty().get();
    }

    @Test
    void opensOnTheMammalClosureAndItsTwoDimensionalEmbedding() {
        PoincareLab lab = lab();
        assertThat(lab.problemProperty().get()).isNull();
        Hierarchy h = lab.hierarchy();
        assertThat(h.size()).isEqualTo(1180);
        assertThat(h.name(h.root())).isEqualTo("mammal.n.01");
        assertThat(h.descendants(h.root())).isEqualTo(1179);
        assertThat(h.name(h.parent(h.indexOf("dog.n.01")))).isEqualTo("canine.n.02");
        assertThat(h.depth(h.indexOf("dog.n.01"))).isEqualTo(h.depth(h.indexOf("canine.n.02")) + 1);
        PoincareDiscFigure disc = lab.discProperty().get();
        assertThat(disc).isNotNull();
        assertThat(disc.scene().layout().description()).contains("exact");
        assertThat(lab.currentFigure()).containsSame(disc);
        assertThat(lab.resnetProperty().get()).isNotNull();
    }

    @Test
    void searchSelectsAndTheLineageIsTheAncestorsAndDescendants() {
        PoincareLab lab = lab();
        assertThat(lab.search("dog")).isTrue();
        Hierarchy h = lab.hierarchy();
        int dog = h.indexOf("dog.n.01");
        assertThat(lab.selected()).isEqualTo(dog);
        boolean[] line = h.lineage(dog);
        int on = 0;
        for (boolean b : line) {
            on += b ? 1 : 0;
        }
        // dog, its ancestors up to mammal, and everything below it
        assertThat(on).isEqualTo(1 + h.depth(dog) + h.descendants(dog));
        assertThat(line[h.indexOf("canine.n.02")]).isTrue();
        assertThat(line[h.indexOf("cat.n.01")]).isFalse();
        assertThat(lab.search("unicorn")).isFalse();
        assertThat(lab.problemProperty().get()).contains("unicorn");
        assertThat(lab.describeNode(dog)).startsWith("dog.n.01 \u00b7 depth " + h.depth(dog));
    }

    @Test
    void centringOnANodePutsItAtTheOriginAndKeepsDistances() {
        PoincareLab lab = lab();
        int dog = lab.hierarchy().indexOf("dog.n.01");
        int cat = lab.hierarchy().indexOf("cat.n.01");
        double before = lab.discProperty().get().scene().distance(dog, cat);
        lab.setView(lab.viewCentredOn(dog));
        double[] p = lab.discProperty().get().shownPoint(dog);
        assertThat(Math.hypot(p[0], p[1])).isLessThan(1e-9);
        double[] q = lab.discProperty().get().shownPoint(cat);
        assertThat(DiscLayout.unitDistance(p[0], p[1], q[0], q[1])).isCloseTo(before, within(1e-7));
    }

    @Test
    void rulerMeasuresGeodesicAndEuclideanLengths() {
        PoincareLab lab = lab();
        lab.rulerClick(-0.5, 0);
        lab.rulerClick(0.5, 0);
        String text = lab.discProperty().get().rulerText();
        // through the centre: 2 * 2 artanh(0.5) = 2.197, Euclidean 1
        assertThat(text).contains("hyperbolic length 2.197").contains("Euclidean length 1.000");
        lab.params().curvature.trySet(4.0);
        assertThat(lab.discProperty().get().rulerText()).as("a new curvature clears the ruler").isNull();
        lab.rulerClick(0, 0);
        lab.rulerClick(0.5, 0);
        // c = 4: (2 / sqrt c) artanh(0.5) and 0.5 / sqrt c
        assertThat(lab.discProperty().get().rulerText()).contains(String.format(java.util.Locale.ROOT, "%.3f", DiscView.atanh(0.5)))
                .contains("Euclidean length 0.250");
    }

    @Test
    void theFiveDimensionalSampleIsShownThroughTheLogMapWithItsLossStated() {
        PoincareLab lab = lab();
        lab.params().source.trySet(PoincareParameters.SAMPLE_5D);
        DiscLayout layout = lab.discProperty().get().scene().layout();
        assertThat(layout.description()).contains("5-D Poincar\u00e9").contains("log map at mammal");
        assertThat(layout.varianceKept()).isBetween(0.2, 0.99);
        assertThat(layout.rankCorrelation()).isBetween(0.2, 0.99);
        // the root sits at the centre
        int root = lab.hierarchy().root();
        assertThat(Math.hypot(layout.xy()[2 * root], layout.xy()[2 * root + 1])).isLessThan(1e-12);
    }

    @Test
    void trainingRecordsCurvesAndFramesAndTheNodesDriftOutwards() {
        PoincareLab lab = lab();
        lab.apply(Map.of("epochs", "6", "evalEvery", "3", "burnIn", "1", "negatives", "10"));
        lab.training().train();
        List<TrainingCurve> curves = lab.training().curves();
        assertThat(curves).hasSize(1);
        TrainingCurve c = curves.get(0);
        assertThat(c.manifold()).isEqualTo("poincare");
        assertThat(c.loss()).hasSize(6);
        assertThat(c.evalEpochs()).containsExactly(3, 6);
        assertThat(c.lastMap()).isBetween(0.0, 1.0);
        assertThat(lab.training().frameCount()).isEqualTo(7);
        lab.training().positionProperty().set(0);
        double start = mean(lab.training().shownFrame().norms());
        lab.training().positionProperty().set(1);
        double end = mean(lab.training().shownFrame().norms());
        assertThat(end).as("nodes drift outwards as the hierarchy forms").isGreaterThan(10 * start);
        assertThat(lab.training().discProperty().get()).isNotNull();
        lab.setPanel(PoincareLab.Panel.TRAINING);
        assertThat(lab.currentFigure().get()).isInstanceOf(TrainingChartsFigure.class);
        // the trained embedding on the disc
        lab.params().source.trySet(PoincareParameters.TRAINED);
        assertThat(lab.discProperty().get().scene().name()).contains("trained here");
    }

    @Test
    void cancellingKeepsWhatWasRecorded() {
        PoincareLab lab = lab();
        lab.apply(Map.of("epochs", "50", "evalEvery", "50", "burnIn", "0", "negatives", "5"));
        executor.cancelNextAfter(3);
        lab.training().train();
        assertThat(lab.training().runningProperty().get()).isFalse();
        assertThat(lab.training().progressProperty().get()).startsWith("Training cancelled");
        assertThat(lab.training().curves().get(0).epochs()).isBetween(1, 49);
    }

    @Test
    void trainingAllThreeShowsEachManifold() {
        PoincareLab lab = lab();
        lab.apply(Map.of("epochs", "2", "evalEvery", "2", "burnIn", "0", "negatives", "5"));
        lab.training().trainAll();
        assertThat(lab.training().curves()).extracting(TrainingCurve::manifold).containsExactly("poincare", "euclidean", "lorentz");
    }

    @Test
    void sessionsRestoreTheViewSelectionAndRuler() {
        PoincareLab lab = lab();
        lab.search("cat");
        lab.setView(DiscView.centredOn(0.3, 0.2));
        lab.rulerClick(0.1, 0.1);
        lab.rulerClick(-0.2, 0.4);
        lab.setPanel(PoincareLab.Panel.RESNET);
        Map<String, Object> state = lab.viewState(dir);
        PoincareLab other = lab();
        other.restoreViewState(state, dir);
        assertThat(other.selected()).isEqualTo(lab.selected());
        assertThat(other.discView()).isEqualTo(lab.discView());
        assertThat(other.discProperty().get().rulerText()).isEqualTo(lab.discProperty().get().rulerText());
        assertThat(other.panelProperty().get()).isEqualTo(PoincareLab.Panel.RESNET);
        other.restoreViewState(Map.of("view", List.of(1, 0, 2, 0), "selected", "unicorn.n.01"), dir);
        assertThat(other.problemProperty().get()).contains("view skipped").contains("unicorn");
    }

    @Test
    void anEmbeddingOpenedWhileTheHierarchyLoadsOpensOnceItHasLoaded() throws Exception {
        org.flowbench.views.jobs.HeldTaskExecutor held = new org.flowbench.views.jobs.HeldTaskExecutor();
        PoincareLab lab = new PoincareLab(TestLabContexts.direct(held, new DeviceSelection()), true);
        Path tsv = dir.resolve("early.tsv");
        EmbeddingFiles.write(tsv, EmbeddingFiles.read(PoincareSamples.embedding(2), PoincareManifold.INSTANCE), Map.of());
        lab.open(tsv);
        assertThat(lab.problemProperty().get()).as("not refused for want of a hierarchy").isNull();
        assertThat(held.waiting()).as("the hierarchy is still loading").isPositive();
        held.runAll();
        assertThat(lab.problemProperty().get()).isNull();
        assertThat(lab.params().source.get()).isEqualTo(PoincareParameters.OPENED);
        assertThat(lab.discProperty().get().scene().name()).contains("early.tsv");
    }

    @Test
    void opensEmbeddingFilesAndRefusesBadOnesInOneLine() throws Exception {
        PoincareLab lab = lab();
        HierarchyEmbedding sample = EmbeddingFiles.read(PoincareSamples.embedding(2), PoincareManifold.INSTANCE);
        Path tsv = dir.resolve("mine.tsv");
        EmbeddingFiles.write(tsv, sample, Map.of());
        lab.open(tsv);
        assertThat(lab.problemProperty().get()).isNull();
        assertThat(lab.params().source.get()).isEqualTo(PoincareParameters.OPENED);
        assertThat(lab.discProperty().get().scene().name()).contains("mine.tsv");

        Path pickle = dir.resolve("model.pth");
        Files.writeString(pickle, "not really");
        lab.open(pickle);
        assertThat(lab.problemProperty().get()).contains("pickles").doesNotContain("\n");
        Path outside = dir.resolve("outside.tsv");
        Files.writeString(outside, "mammal.n.01\t3\t4\n");
        lab.open(outside);
        assertThat(lab.problemProperty().get()).isNotNull().doesNotContain("\n");
        assertThat(lab.discProperty().get().scene().name()).as("the disc stays as it was").contains("mine.tsv");
    }

    @Test
    void exportsCoordinatesAndEmbeddings() throws Exception {
        PoincareLab lab = lab();
        Path csv = dir.resolve("coords.csv");
        PoincareExports.coordinates(lab.discProperty().get(), csv);
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(1181);
        assertThat(lines.get(0)).isEqualTo(PoincareExports.CSV_HEADER);
        assertThat(lines.stream().filter(l -> l.startsWith("mammal.n.01,0,1179,,")).count()).isEqualTo(1);
        Path w2v = dir.resolve("out.txt");
        PoincareExports.embedding(lab.shownEmbedding(), w2v);
        assertThat(Files.readAllLines(w2v).get(0)).isEqualTo("1180 2");
        HierarchyEmbedding back = EmbeddingFiles.read(w2v, PoincareManifold.INSTANCE);
        assertThat(back.size()).isEqualTo(1180);
    }

    @Test
    void aHierarchyWithACycleIsRefused() throws Exception {
        PoincareLab lab = lab();
        Path cycle = dir.resolve("cycle.csv");
        Files.writeString(cycle, "id1,id2,weight\na,b,1\nb,a,1\n");
        lab.openHierarchy(cycle, false);
        assertThat(lab.problemProperty().get()).contains("not a hierarchy").doesNotContain("\n");
        assertThat(lab.hierarchy().size()).as("the mammals stay").isEqualTo(1180);
        Path own = dir.resolve("own.csv");
        EdgeListFiles.writeCsv(own, org.flowbench.compute.hierarchy.EdgeList.builder().add("b", "a", 1).add("c", "b", 1).build());
        lab.openHierarchy(own, false);
        assertThat(lab.hierarchy().size()).isEqualTo(3);
        assertThat(lab.discProperty().get()).as("no embedding of it yet").isNull();
        assertThat(lab.statusProperty().get()).contains("train");
    }

    @Test
    void theResNetDemosShowIdentityKeepsNormsAndBatchNormRecentres() {
        PoincareLab lab = lab();
        ResNetFigure f = lab.resnetProperty().get();
        assertThat(f.depth().layers()).isEqualTo(50);
        assertThat(f.depth().identityDrift()).isLessThan(1e-9);
        assertThat(f.depth().meanNorm(f.depth().standard(), 50)).isLessThan(0.1 * f.depth().meanNorm(f.depth().standard(), 0));
        ResNetDemos.BatchNorm bn = f.batchNorm();
        assertThat(Math.hypot(bn.midpointAfter()[0], bn.midpointAfter()[1])).as("re-centred near beta = 0")
                .isLessThan(0.5 * Math.hypot(bn.midpointBefore()[0], bn.midpointBefore()[1]));
        assertThat(bn.dispersionAfter()).isCloseTo(1.0, within(0.35));
        lab.apply(Map.of("scale", "0.25"));
        assertThat(lab.resnetProperty().get().batchNorm().dispersionAfter()).isCloseTo(0.25, within(0.1));
        assertThat(lab.resnetProperty().get().batchNorm()).isNotSameAs(bn);
        lab.setPanel(PoincareLab.Panel.RESNET);
        assertThat(lab.currentFigure().get()).isInstanceOf(ResNetFigure.class);
        assertThat(FigureTheme.LIGHT).isNotNull();
    }

    @Test
    void everyLessonSectionSetsUpTheLab() throws Exception {
        Path file = Path.of("..", "assets", "lessons", "poincare.md");
        org.flowbench.views.lab.Lesson lesson = org.flowbench.views.lab.Lesson.parse(Files.readString(file));
        assertThat(lesson.sections()).extracting(org.flowbench.views.lab.Lesson.Section::title).containsExactly(
                "The disc's geometry", "Why trees fit", "Training", "Euclidean vs hyperbolic", "Poincar\u00e9 ResNet");
        PoincareLab lab = lab();
        for (org.flowbench.views.lab.Lesson.Section section : lesson.sections()) {
            assertThat(section.setup()).as(section.title()).isNotEmpty();
            assertThat(lab.parameters().problems(section.setup())).as(section.title()).isNull();
            for (String key : section.setup().keySet()) {
                assertThat(lab.parameters().byKey(key)).as(section.title() + ": " + key).isNotNull();
            }
            lab.apply(section.setup());
            assertThat(lab.problemProperty().get()).as(section.title()).isNull();
        }
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
