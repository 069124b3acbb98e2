package org.flowbench.compute;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.CheckpointFormatException;
import org.flowbench.compute.checkpoint.Safetensors;
import org.flowbench.compute.checkpoint.Tensor;
import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.embedding.EmbeddingFiles;
import org.flowbench.compute.embedding.EuclideanManifold;
import org.flowbench.compute.embedding.HierarchyEmbedding;
import org.flowbench.compute.embedding.LorentzManifold;
import org.flowbench.compute.embedding.PoincareManifold;
import org.flowbench.compute.gflownet.Environments;
import org.flowbench.compute.gflownet.GfnEnvironment;
import org.flowbench.compute.gflownet.GfnModelFile;
import org.flowbench.compute.gflownet.NetworkShape;
import org.flowbench.compute.gflownet.Objective;
import org.flowbench.compute.gflownet.PolicyNetwork;
import org.flowbench.compute.hierarchy.EdgeList;
import org.flowbench.compute.hierarchy.EdgeListFiles;
import org.flowbench.compute.hierarchy.HierarchyFormatException;
import org.flowbench.compute.hierarchy.WordNetNouns;
import org.flowbench.compute.lm.Gpt2Checkpoint;
import org.flowbench.compute.lm.LmConfig;
import org.flowbench.compute.lm.LmOptimizerConfig;
import org.flowbench.compute.lm.LmProbe;
import org.flowbench.compute.lm.LmProbes;
import org.flowbench.compute.lm.LmRunFile;
import org.flowbench.compute.lm.LmSweep;
import org.flowbench.compute.lm.LmTrainer;
import org.flowbench.compute.lm.Placement;
import org.flowbench.compute.lm.SyntheticTask;
import org.flowbench.compute.lm.TextCorpus;
import org.flowbench.compute.lm.TransformerLm;
import org.flowbench.compute.lm.WordNetGlosses;
import org.flowbench.compute.nn.CheckpointImport;
import org.flowbench.compute.nn.FlowModelFile;
import org.flowbench.compute.nn.ImportPreset;
import org.flowbench.compute.nn.MlpArchitecture;
import org.flowbench.compute.nn.VelocityMlp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Fuzz targets for every reader of a user's file outside the checkpoint package: embeddings,
 * edge lists, WordNet folders, text corpora, sweep files, run files, GPT-2 checkpoints, GFlowNet
 * and flow models, and PyTorch state dicts imported with a preset. Whatever the bytes, a reader returns what it read or throws its own one-line
 * error (the type its callers turn into one line), never another exception, a second line, an
 * out-of-memory or a hang.
 *
 * <p>Text formats take the fuzzer's bytes as the file. For safetensors-based formats most raw
 * bytes die in the header parser (fuzzed on its own by the checkpoint readers' targets), so each
 * also has a target that starts from a valid file made by the project's writers and lets the
 * fuzzer edit its metadata values, keys, tensor names, shapes and values before writing it out
 * again: that reaches the metadata and architecture parsers and the shape checks. An empty input
 * leaves the valid file as it is, so every corpus exercises the happy path.
 *
 * <p>Seeds live in {@code UserFileReadersFuzzTestInputs/<target>/} and run with every test run;
 * {@code JAZZER_FUZZ=1 mvn -Djazzer.hooks=true -pl compute test -Dtest='UserFileReadersFuzzTest#runFile'
 * -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time=300} fuzzes one target.
 */
class UserFileReadersFuzzTest {

    private static final int CORPUS_SEQ = 4;
    private static final int GPT2_TINY_HEADS = 4;

    private static Path scratch;
    private static CpuDevice device;
    private static Checkpoint runFileBase;
    private static Checkpoint gpt2Base;
    private static Checkpoint nanoGptBase;
    private static String gpt2Config;
    private static Checkpoint gflownetBase;
    private static Checkpoint flowModelBase;
    private static Checkpoint embeddingBase;
    private static final ImportPreset[] IMPORT_PRESETS = {
            ImportPreset.TORCHCFM_MLP, ImportPreset.FLOW_MATCHING_MLP, ImportPreset.RECTIFIED_FLOW_MLP};
    private static final Checkpoint[] importBases = new Checkpoint[IMPORT_PRESETS.length];

    @BeforeAll
    static void prepare() throws IOException, URISyntaxException {
        scratch = Files.createTempDirectory("flowbench-readers-fuzz");
        device = new CpuDevice(1);
        runFileBase = Safetensors.read(writeRunFile(scratch.resolve("base-run.safetensors")));
        Path gpt2 = resource("lm/gpt2-tiny/model.safetensors");
        gpt2Base = Safetensors.read(gpt2);
        gpt2Config = Files.readString(gpt2.resolveSibling("config.json"));
        nanoGptBase = Safetensors.read(resource("lm/nanogpt-tiny/model.safetensors"));
        gflownetBase = gflownetCheckpoint();
        flowModelBase = flowModelCheckpoint();
        Path embedding = scratch.resolve("base-embedding.safetensors");
        EmbeddingFiles.write(embedding, smallEmbedding(), Map.of());
        embeddingBase = Safetensors.read(embedding);
        for (int i = 0; i < IMPORT_PRESETS.length; i++) {
            importBases[i] = Safetensors.read(resource("nn/import/" + IMPORT_PRESETS[i].id() + "-f32.safetensors"));
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        device.close();
        try (Stream<Path> files = Files.walk(scratch)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ---- text formats: the fuzzer's bytes are the file ----

    @FuzzTest(maxDuration = "5s")
    void embeddingTsv(byte[] bytes) throws IOException {
        Path file = write("fuzz.tsv", bytes);
        expect(() -> EmbeddingFiles.read(file, PoincareManifold.INSTANCE), HierarchyFormatException.class);
    }

    @FuzzTest(maxDuration = "5s")
    void embeddingWord2vec(byte[] bytes) throws IOException {
        Path file = write("fuzz.vec", bytes);
        expect(() -> EmbeddingFiles.read(file, LorentzManifold.INSTANCE), HierarchyFormatException.class);
    }

    /** The name has no .csv or .tsv ending, so the reader also detects the separator from the first row. */
    @FuzzTest(maxDuration = "5s")
    void edgeList(byte[] bytes) throws IOException {
        Path file = write("fuzz-edges.txt", bytes);
        expect(() -> EdgeListFiles.read(file), HierarchyFormatException.class);
    }

    /** The bytes up to the first NUL are index.noun, the rest data.noun (a NUL is never valid in either). */
    @FuzzTest(maxDuration = "5s")
    void wordNetNouns(byte[] bytes) throws IOException {
        Path folder = wordNetFolder(bytes);
        expect(() -> WordNetNouns.read(folder), HierarchyFormatException.class);
    }

    /** The bytes are data.noun; the other three data files are empty. */
    @FuzzTest(maxDuration = "5s")
    void wordNetGlosses(byte[] bytes) throws IOException {
        Path folder = scratch.resolve("glosses");
        Files.createDirectories(folder);
        for (String name : WordNetGlosses.DATA_FILES) {
            Files.write(folder.resolve(name), name.equals("data.noun") ? bytes : new byte[0]);
        }
        expect(() -> WordNetGlosses.read(folder), IllegalArgumentException.class);
    }

    @FuzzTest(maxDuration = "5s")
    void textCorpus(byte[] bytes) throws IOException {
        Path file = write("fuzz-corpus.txt", bytes);
        expect(() -> TextCorpus.read(file, CORPUS_SEQ), IllegalArgumentException.class);
    }

    /** A sweep file read back; its reader's one-line error is a plain IOException. */
    @FuzzTest(maxDuration = "5s")
    void sweep(byte[] bytes) throws IOException {
        Path file = write("fuzz-sweep.csv", bytes);
        expect(() -> LmSweep.read(file), IOException.class);
    }

    // ---- safetensors formats, raw bytes ----

    @FuzzTest(maxDuration = "5s")
    void runFileBytes(byte[] bytes) throws IOException {
        Path file = write("fuzz-run.safetensors", bytes);
        expect(() -> LmRunFile.read(file), CheckpointFormatException.class);
    }

    /** With the number of heads given, as by the command line's --heads, since no config.json lies beside it. */
    @FuzzTest(maxDuration = "5s")
    void gpt2Bytes(byte[] bytes) throws IOException {
        Path folder = scratch.resolve("gpt2-raw");
        Files.createDirectories(folder);
        Path file = folder.resolve("model.safetensors");
        Files.write(file, bytes);
        expect(() -> Gpt2Checkpoint.read(file, GPT2_TINY_HEADS), CheckpointFormatException.class);
    }

    @FuzzTest(maxDuration = "5s")
    void gflownetBytes(byte[] bytes) throws IOException {
        Path file = write("fuzz-gfn.safetensors", bytes);
        expect(() -> GfnModelFile.load(device, file).close(), CheckpointFormatException.class);
    }

    @FuzzTest(maxDuration = "5s")
    void flowModelBytes(byte[] bytes) throws IOException {
        Path file = write("fuzz-flow.safetensors", bytes);
        expect(() -> FlowModelFile.load(device, file).close(), CheckpointFormatException.class);
    }

    // ---- safetensors formats, a valid file edited by the fuzzer ----

    @FuzzTest(maxDuration = "5s")
    void runFile(FuzzedDataProvider data) throws IOException {
        Path file = scratch.resolve("edited-run.safetensors");
        if (writeEdited(file, runFileBase, data)) {
            expect(() -> LmRunFile.read(file), CheckpointFormatException.class);
        }
    }

    /** The first choice picks Hugging Face's GPT-2 (with its config.json) or nanoGPT's names. */
    @FuzzTest(maxDuration = "5s")
    void gpt2(FuzzedDataProvider data) throws IOException {
        boolean nano = data.consumeBoolean();
        Path folder = scratch.resolve("gpt2-edited");
        Files.createDirectories(folder);
        Path config = folder.resolve("config.json");
        Files.deleteIfExists(config);
        if (!nano) {
            String text = gpt2Config;
            int edits = data.consumeInt(0, 4);
            for (int i = 0; i < edits; i++) {
                text = splice(text, data);
            }
            Files.writeString(config, text);
        }
        Path file = folder.resolve("model.safetensors");
        if (writeEdited(file, nano ? nanoGptBase : gpt2Base, data)) {
            expect(() -> Gpt2Checkpoint.read(file, null), CheckpointFormatException.class);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void gflownet(FuzzedDataProvider data) throws IOException {
        Path file = scratch.resolve("edited-gfn.safetensors");
        if (writeEdited(file, gflownetBase, data)) {
            expect(() -> GfnModelFile.load(device, file).close(), CheckpointFormatException.class);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void flowModel(FuzzedDataProvider data) throws IOException {
        Path file = scratch.resolve("edited-flow.safetensors");
        if (writeEdited(file, flowModelBase, data)) {
            expect(() -> FlowModelFile.load(device, file).close(), CheckpointFormatException.class);
        }
    }

    /** A PyTorch state dict imported with a preset; the first choice picks the preset and its fixture. */
    @FuzzTest(maxDuration = "5s")
    void pytorchImport(FuzzedDataProvider data) throws IOException {
        int preset = data.consumeInt(0, IMPORT_PRESETS.length - 1);
        Path file = scratch.resolve("edited-import.safetensors");
        if (writeEdited(file, importBases[preset], data)) {
            expect(() -> CheckpointImport.load(device, file, IMPORT_PRESETS[preset], null, null).close(),
                    CheckpointFormatException.class);
        }
    }

    /** An embedding in safetensors: the names list, manifold and dimension live in the metadata. */
    @FuzzTest(maxDuration = "5s")
    void embeddingSafetensors(FuzzedDataProvider data) throws IOException {
        Path file = scratch.resolve("edited-embedding.safetensors");
        if (writeEdited(file, embeddingBase, data)) {
            expect(() -> EmbeddingFiles.read(file, EuclideanManifold.INSTANCE),
                    HierarchyFormatException.class, CheckpointFormatException.class, IOException.class);
        }
    }

    // ---- helpers ----

    private interface Read {
        void run() throws IOException;
    }

    /**
     * Runs the reader; it may succeed or throw one of the {@code allowed} types with a one-line
     * message. Anything else propagates and fails the run.
     */
    private static void expect(Read read, Class<?>... allowed) throws IOException {
        try {
            read.run();
        } catch (IOException | RuntimeException e) {
            if (Arrays.stream(allowed).noneMatch(c -> c.isInstance(e))) {
                throw e;
            }
            String message = e.getMessage();
            if (message == null || message.isBlank() || message.contains("\n") || message.contains("\r")) {
                throw new AssertionError("not a one-line message: " + message, e);
            }
        }
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        Path file = scratch.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static Path wordNetFolder(byte[] bytes) throws IOException {
        Path folder = scratch.resolve("wordnet");
        Files.createDirectories(folder);
        int nul = 0;
        while (nul < bytes.length && bytes[nul] != 0) {
            nul++;
        }
        Files.write(folder.resolve("index.noun"), Arrays.copyOfRange(bytes, 0, nul));
        Files.write(folder.resolve("data.noun"), Arrays.copyOfRange(bytes, Math.min(nul + 1, bytes.length), bytes.length));
        return folder;
    }

    /**
     * Writes {@code base} after the fuzzer's edits: splices into or replaces a metadata value,
     * removes or adds a key, removes or renames a tensor, gives one a new shape (at most 4096
     * values, cycling its old ones) or sets one value (NaN, infinities and negatives included).
     * False when the writer itself refuses the result (e.g. two tensors of one name).
     */
    private static boolean writeEdited(Path file, Checkpoint base, FuzzedDataProvider data) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>(base.metadata());
        List<Tensor> tensors = new ArrayList<>(base.tensorList());
        int edits = data.consumeInt(0, 8);
        for (int i = 0; i < edits; i++) {
            List<String> keys = new ArrayList<>(metadata.keySet());
            switch (data.consumeInt(0, 7)) {
                case 0 -> {
                    if (!keys.isEmpty()) {
                        String key = keys.get(data.consumeInt(0, keys.size() - 1));
                        metadata.put(key, splice(metadata.get(key), data));
                    }
                }
                case 1 -> {
                    if (!keys.isEmpty()) {
                        metadata.put(keys.get(data.consumeInt(0, keys.size() - 1)), data.consumeString(200));
                    }
                }
                case 2 -> {
                    if (!keys.isEmpty()) {
                        metadata.remove(keys.get(data.consumeInt(0, keys.size() - 1)));
                    }
                }
                case 3 -> metadata.put(data.consumeString(32), data.consumeString(200));
                case 4 -> {
                    if (!tensors.isEmpty()) {
                        tensors.remove(data.consumeInt(0, tensors.size() - 1));
                    }
                }
                case 5 -> {
                    if (!tensors.isEmpty()) {
                        int t = data.consumeInt(0, tensors.size() - 1);
                        Tensor old = tensors.get(t);
                        tensors.set(t, new Tensor(splice(old.name(), data), old.shape(), old.data(), old.storedType()));
                    }
                }
                case 6 -> {
                    if (!tensors.isEmpty()) {
                        int t = data.consumeInt(0, tensors.size() - 1);
                        tensors.set(t, reshaped(tensors.get(t), data));
                    }
                }
                default -> {
                    if (!tensors.isEmpty()) {
                        int t = data.consumeInt(0, tensors.size() - 1);
                        Tensor old = tensors.get(t);
                        if (old.size() > 0) {
                            float[] values = old.data().clone();
                            values[data.consumeInt(0, values.length - 1)] = data.consumeFloat();
                            tensors.set(t, new Tensor(old.name(), old.shape(), values, old.storedType()));
                        }
                    }
                }
            }
        }
        try {
            Safetensors.write(file, new Checkpoint(metadata, tensors));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Tensor reshaped(Tensor old, FuzzedDataProvider data) {
        int rank = data.consumeInt(0, 4);
        int[] shape = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++) {
            shape[d] = data.consumeInt(0, 64);
            count *= shape[d];
        }
        if (count > 4096) {
            return old;
        }
        float[] values = new float[(int) count];
        float[] from = old.data();
        for (int i = 0; i < values.length && from.length > 0; i++) {
            values[i] = from[i % from.length];
        }
        return new Tensor(old.name(), shape, values, old.storedType());
    }

    /** The text with a fuzzed piece in place of a fuzzed range. */
    private static String splice(String text, FuzzedDataProvider data) {
        int from = data.consumeInt(0, text.length());
        int to = data.consumeInt(from, text.length());
        return text.substring(0, from) + data.consumeString(24) + text.substring(to);
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(UserFileReadersFuzzTest.class.getResource(name).toURI());
    }

    /** A run file of a tiny Peri-LN model trained for three steps, with a probe per step. */
    static Path writeRunFile(Path file) throws IOException {
        SyntheticTask task = new SyntheticTask(SyntheticTask.Kind.REVERSE, 3);
        LmConfig config = LmConfig.of(task.vocab(), task.seq(), 8, 2, 2, Placement.PERI);
        List<LmProbe> probes = new ArrayList<>();
        float[] parameters;
        try (TransformerLm model = new TransformerLm(device, config, 3);
             LmTrainer trainer = new LmTrainer(model, LmOptimizerConfig.adamW(1e-3f, 0, 3))) {
            SeededRandom random = new SeededRandom(1);
            for (int step = 0; step < 3; step++) {
                float[] before = device.download(model.parameters());
                double loss = trainer.step(task.next(2, random), null);
                probes.add(LmProbes.measure(model, step, loss, before, device.download(model.parameters())));
            }
            parameters = device.download(model.parameters());
        }
        LmRunFile.write(file, config, parameters, probes, 3, Map.of(Checkpoint.KEY_TRAINING, "reverse:3"));
        return file;
    }

    static Checkpoint gflownetCheckpoint() {
        GfnEnvironment env = Environments.parse("hypergrid:D=2,H=3,R0=0.01");
        NetworkShape shape = NetworkShape.forEnvironment(env, new int[] {8}, Activation.RELU);
        return GfnModelFile.toCheckpoint(env, Objective.TB, shape, PolicyNetwork.initialParameters(shape, 1), 0.5,
                Map.of(Checkpoint.KEY_SEED, "1"));
    }

    static Checkpoint flowModelCheckpoint() {
        MlpArchitecture architecture = MlpArchitecture.plane(new int[] {8}, Activation.TANH);
        return FlowModelFile.toCheckpoint(architecture, VelocityMlp.initialParameters(architecture, 1),
                FlowModelFile.KIND_VELOCITY, Map.of(Checkpoint.KEY_SEED, "1"));
    }

    static HierarchyEmbedding smallEmbedding() {
        return new HierarchyEmbedding(new String[] {"mammal", "dog", "cat"}, PoincareManifold.INSTANCE, 2,
                new double[] {0.0, 0.0, 0.5, 0.1, -0.2, 0.6});
    }

    static EdgeList smallEdges() {
        EdgeList.Builder b = EdgeList.builder();
        b.add("dog", "mammal", 1.0);
        b.add("cat", "mammal", 1.0);
        return b.build();
    }
}
