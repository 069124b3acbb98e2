package org.flowbench.compute.gflownet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;
import org.flowbench.compute.nn.MlpArchitecture;
import org.flowbench.compute.train.Optimizer;
import org.flowbench.compute.train.OptimizerConfig;
import org.flowbench.compute.train.TrainingCancelledException;
import org.flowbench.compute.train.TrainingDivergedException;
import org.flowbench.compute.train.TrainingProgress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Trains a GFlowNet: each step draws a batch of trajectories from the current policy (with
 * epsilon-uniform exploration and a temperature), optionally mixes in replayed ones or cuts them
 * into incomplete trajectories, evaluates the objective and its gradient, and makes one Adam step
 * on the network and one on log Z (its own learning rate, initial value 0). Every few thousand
 * trajectories it measures the policy against the exact solution (when the environment is
 * enumerable) and the terminal states seen so far. Seeded: on the cpu device the same config
 * gives the same bytes. Reports each step through a {@link TrainingProgress}, each measurement
 * through a {@link Monitor}, and stops with {@link TrainingCancelledException} when the cancel
 * flag is raised or the thread interrupted.
 */
public final class GfnTraining {

    /** Most trajectories one run may draw (keeps a typo from running for days). */
    public static final long MAX_TRAJECTORIES = 100_000_000L;
    public static final int MAX_BATCH = 1 << 16;

    private GfnTraining() {
    }

    /**
     * What to train.
     *
     * @param replayCapacity  0 for no replay; else the buffer size
     * @param replayBatch     replayed trajectories added to each step's batch
     * @param incomplete      cut every trajectory after a uniformly drawn number of moves, its reward
     *                        unseen (db and fldb only)
     * @param evaluateEvery   trajectories between measurements
     */
    public record Config(String environment, String loss, int[] hidden, Activation activation, int batchSize,
                         long trajectories, double learningRate, double logZLearningRate, double epsilon,
                         double temperature, long seed, int replayCapacity, int replayBatch, boolean incomplete,
                         long evaluateEvery) {

        public Config {
            hidden = hidden.clone();
            Environments.parse(environment);
            Objective objective = Objective.parse(loss);
            if (hidden.length > MlpArchitecture.MAX_DEPTH) {
                throw new IllegalArgumentException("at most " + MlpArchitecture.MAX_DEPTH + " hidden layers, got " + hidden.length);
            }
            if (batchSize < 1 || batchSize > MAX_BATCH) {
                throw new IllegalArgumentException("batch size must be in [1, " + MAX_BATCH + "], got " + batchSize);
            }
            if (trajectories < 1 || trajectories > MAX_TRAJECTORIES) {
                throw new IllegalArgumentException("trajectories must be in [1, " + MAX_TRAJECTORIES + "], got " + trajectories);
            }
            positive("learning rate", learningRate);
            positive("log Z learning rate", logZLearningRate);
            if (!(epsilon >= 0 && epsilon <= 1)) {
                throw new IllegalArgumentException("epsilon must be in [0, 1], got " + epsilon);
            }
            positive("temperature", temperature);
            if (replayCapacity < 0 || replayCapacity > ReplayBuffer.MAX_CAPACITY) {
                throw new IllegalArgumentException("replay capacity must be in [0, " + ReplayBuffer.MAX_CAPACITY + "], got " + replayCapacity);
            }
            if (replayBatch < 0 || replayBatch > MAX_BATCH || (replayBatch > 0 && replayCapacity == 0)) {
                throw new IllegalArgumentException("replay batch must be in [0, " + MAX_BATCH + "] and needs a replay capacity, got "
                        + replayBatch);
            }
            if (incomplete && !objective.acceptsIncomplete()) {
                throw new IllegalArgumentException("loss " + objective.spec() + " needs complete trajectories; only db and fldb "
                        + "learn from incomplete ones");
            }
            if (evaluateEvery < 1) {
                throw new IllegalArgumentException("evaluation interval must be positive, got " + evaluateEvery);
            }
        }

        /** The acceptance setting: 2x256 ReLU, Adam 1e-3, log Z lr 0.1, batch 16, on-policy. */
        public static Config standard(String environment, String loss, long trajectories, long seed) {
            return new Config(environment, loss, new int[] {256, 256}, Activation.RELU, 16, trajectories, 1e-3, 0.1, 0, 1,
                    seed, 0, 0, false, 1024);
        }

        @Override
        public int[] hidden() {
            return hidden.clone();
        }

        public Config withTrajectories(long n) {
            return new Config(environment, loss, hidden, activation, batchSize, n, learningRate, logZLearningRate, epsilon,
                    temperature, seed, replayCapacity, replayBatch, incomplete, evaluateEvery);
        }

        public Config withEvaluateEvery(long n) {
            return new Config(environment, loss, hidden, activation, batchSize, trajectories, learningRate, logZLearningRate,
                    epsilon, temperature, seed, replayCapacity, replayBatch, incomplete, n);
        }

        public Config withExploration(double newEpsilon, double newTemperature) {
            return new Config(environment, loss, hidden, activation, batchSize, trajectories, learningRate, logZLearningRate,
                    newEpsilon, newTemperature, seed, replayCapacity, replayBatch, incomplete, evaluateEvery);
        }

        public Config withIncomplete(boolean cut) {
            return new Config(environment, loss, hidden, activation, batchSize, trajectories, learningRate, logZLearningRate,
                    epsilon, temperature, seed, replayCapacity, replayBatch, cut, evaluateEvery);
        }

        public Config withReplay(int capacity, int batch) {
            return new Config(environment, loss, hidden, activation, batchSize, trajectories, learningRate, logZLearningRate,
                    epsilon, temperature, seed, capacity, batch, incomplete, evaluateEvery);
        }

        /** Steps the run makes: ceil(trajectories / batchSize). */
        public int steps() {
            return (int) ((trajectories + batchSize - 1) / batchSize);
        }

        /** The config as one JSON object, the checkpoint's {@code training} entry. */
        public String toJson() {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("environment", Environments.parse(environment).spec());
            o.put("loss", Objective.parse(loss).spec());
            o.put("hidden", Arrays.toString(hidden));
            o.put("activation", activation.name().toLowerCase(java.util.Locale.ROOT));
            o.put("batch", batchSize);
            o.put("trajectories", trajectories);
            o.put("lr", learningRate);
            o.put("logz_lr", logZLearningRate);
            o.put("epsilon", epsilon);
            o.put("temperature", temperature);
            o.put("seed", seed);
            o.put("replay_capacity", replayCapacity);
            o.put("replay_batch", replayBatch);
            o.put("incomplete", incomplete);
            return o.toString();
        }

        private static void positive(String name, double v) {
            if (!(v > 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException(name + " must be positive and finite, got " + v);
            }
        }
    }

    /**
     * One measurement during training. The exact fields are NaN when the environment is not
     * enumerable; {@code logZError} is NaN when log Z has no closed form either; modes found is -1
     * where the environment defines no modes.
     */
    public record Snapshot(long trajectoriesSeen, int step, double loss, double logZEstimate, double logZError, double l1,
                           double jsd, double edgeFlowError, int modesFound, double topMeanReward, double seconds) {
    }

    /** Receives each measurement on the training thread. */
    @FunctionalInterface
    public interface Monitor {
        void onSnapshot(Snapshot snapshot);

        Monitor NONE = s -> { };
    }

    /** A finished run: the network's parameters, log Z, the measurements and the wall time. */
    public record Trained(Config config, NetworkShape shape, float[] parameters, double logZ, List<Snapshot> history,
                          double seconds, double trainingSeconds) {

        public Snapshot last() {
            return history.get(history.size() - 1);
        }
    }

    public static Trained train(ComputeDevice device, Config config, TrainingProgress progress, Monitor monitor,
                                BooleanSupplier cancelled) {
        long started = System.nanoTime();
        TrainingProgress onStep = progress == null ? TrainingProgress.NONE : progress;
        Monitor onSnapshot = monitor == null ? Monitor.NONE : monitor;
        List<Snapshot> history = new ArrayList<>();
        double evaluationSeconds = 0;
        try (Run run = new Run(device, config)) {
            int steps = config.steps();
            long nextEvaluation = Math.min(config.evaluateEvery(), config.trajectories());
            for (int step = 1; step <= steps; step++) {
                if (Thread.currentThread().isInterrupted() || (cancelled != null && cancelled.getAsBoolean())) {
                    throw new TrainingCancelledException(step - 1);
                }
                double loss = run.step();
                onStep.onStep(step, steps, loss);
                if (run.trajectoriesSeen() >= nextEvaluation || step == steps) {
                    long t0 = System.nanoTime();
                    Snapshot snapshot = run.measure((t0 - started) / 1e9);
                    history.add(snapshot);
                    onSnapshot.onSnapshot(snapshot);
                    nextEvaluation += config.evaluateEvery();
                    evaluationSeconds += (System.nanoTime() - t0) / 1e9;
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Trained(config, run.shape(), run.network().parameterValues(), run.logZ(), List.copyOf(history), seconds,
                    seconds - evaluationSeconds);
        }
    }

    /**
     * A training run advanced one step at a time (what {@link #train} loops over; views and
     * benchmarks drive it directly). Owns its network and optimizer state; not safe for
     * concurrent use; close it to free its device buffers.
     */
    public static final class Run implements AutoCloseable {

        private final ComputeDevice device;
        private final Config config;
        private final GfnEnvironment env;
        private final Objective objective;
        private final ExactFlows exact;
        private final double trueLogZ;
        private final NetworkShape shape;
        private final SeededRandom sampling;
        private final SeededRandom cutting;
        private final PolicyNetwork network;
        private final Optimizer optimizer;
        private final Optimizer logZOptimizer;
        private final DeviceBuffer logZParam;
        private final DeviceBuffer logZGrad;
        private final TrajectorySampler sampler;
        private final ReplayBuffer replay;
        private final TerminalTracker tracker;
        private float[] outF = new float[0];
        private double[] out = new double[0];
        private double[] dOut = new double[0];
        private float[] dOutF = new float[0];
        private final double[] dLogZ = new double[1];
        private final float[] logZHost = new float[1];
        private double logZ;
        private long seen;
        private int steps;
        private double smoothed = Double.NaN;
        private boolean closed;

        public Run(ComputeDevice device, Config config) {
            this.device = device;
            this.config = config;
            env = Environments.parse(config.environment());
            objective = Objective.parse(config.loss());
            exact = env.stateCount() >= 0 ? ExactFlows.of(env) : null;
            trueLogZ = exact != null ? exact.logZ() : env.logPartitionClosedForm();
            shape = NetworkShape.forEnvironment(env, config.hidden(), config.activation());
            SeededRandom root = new SeededRandom(config.seed());
            long networkSeed = root.nextLong();
            sampling = root.split();
            cutting = root.split();
            network = PolicyNetwork.create(device, shape, networkSeed);
            optimizer = new Optimizer(device, OptimizerConfig.adam(config.learningRate()), shape.parameterCount());
            logZOptimizer = new Optimizer(device, OptimizerConfig.adam(config.logZLearningRate()), 1);
            logZParam = device.allocate(1);
            logZGrad = device.allocate(1);
            sampler = new TrajectorySampler(env, network);
            replay = config.replayCapacity() > 0 ? new ReplayBuffer(config.replayCapacity()) : null;
            tracker = new TerminalTracker(env);
        }

        public GfnEnvironment environment() {
            return env;
        }

        public Objective objective() {
            return objective;
        }

        public NetworkShape shape() {
            return shape;
        }

        public PolicyNetwork network() {
            return network;
        }

        /** The exact solution, or null when the environment is too large to enumerate. */
        public ExactFlows exact() {
            return exact;
        }

        public double logZ() {
            return logZ;
        }

        public long trajectoriesSeen() {
            return seen;
        }

        public int steps() {
            return steps;
        }

        /**
         * One step: sample, mix in replay, cut (incomplete runs), evaluate the objective, one Adam
         * step on the network and (TB) on log Z. Draws at most the trajectories the config has left.
         *
         * @return the batch loss
         * @throws TrainingDivergedException when the loss is not finite
         */
        public double step() {
            if (closed) {
                throw new IllegalStateException("training run was closed");
            }
            int count = (int) Math.max(1, Math.min(config.batchSize(), config.trajectories() - seen));
            List<Trajectory> fresh = sampler.sample(count, config.epsilon(), config.temperature(), sampling);
            seen += count;
            steps++;
            for (Trajectory t : fresh) {
                tracker.add(t);
            }
            List<Trajectory> batch = fresh;
            if (replay != null) {
                List<Trajectory> replayed = replay.sample(config.replayBatch(), sampling);
                replay.add(fresh);
                if (!replayed.isEmpty()) {
                    batch = new ArrayList<>(fresh);
                    batch.addAll(replayed);
                }
            }
            if (config.incomplete()) {
                List<Trajectory> cut = new ArrayList<>(batch.size());
                for (Trajectory t : batch) {
                    cut.add(t.truncate(cutting.nextInt(t.moves() + 1)));
                }
                batch = cut;
            }
            TrajectoryBatch rows = TrajectoryBatch.of(env, batch, objective.needsParents());
            int w = shape.outputs();
            int n = rows.totalRows();
            if (outF.length < n * w) {
                outF = new float[n * w];
                out = new double[n * w];
                dOut = new double[n * w];
                dOutF = new float[n * w];
            }
            network.forward(rows.encodings(), n, outF);
            for (int i = 0; i < n * w; i++) {
                out[i] = outF[i];
            }
            double loss = objective.evaluate(rows, out, logZ, dOut, dLogZ);
            if (!Double.isFinite(loss)) {
                throw new TrainingDivergedException(steps, loss, config.learningRate());
            }
            for (int i = 0; i < n * w; i++) {
                dOutF[i] = (float) dOut[i];
            }
            network.backward(dOutF, n);
            optimizer.step(network.parameters(), network.gradients());
            if (objective.usesLogZ()) {
                logZHost[0] = (float) dLogZ[0];
                device.upload(logZHost, logZGrad);
                logZOptimizer.step(logZParam, logZGrad);
                device.download(logZParam, logZHost);
                logZ = logZHost[0];
            }
            smoothed = Double.isNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
            return loss;
        }

        /** Measures the policy now; {@code seconds} is stored as the snapshot's time stamp. */
        public Snapshot measure(double seconds) {
            return GfnTraining.measure(env, exact, trueLogZ, network, objective, logZ, tracker, seen, steps, smoothed, seconds);
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            device.free(logZParam);
            device.free(logZGrad);
            logZOptimizer.close();
            optimizer.close();
            network.close();
        }
    }

    private static Snapshot measure(GfnEnvironment env, ExactFlows exact, double trueLogZ, PolicyNetwork network,
                                    Objective objective, double logZ, TerminalTracker tracker, long seen, int step,
                                    double loss, double seconds) {
        int modes = env.hasModes() ? tracker.modesFound() : -1;
        double top = env.hasModes() ? Double.NaN : tracker.topMeanReward(100);
        if (exact != null) {
            Evaluation.Exact e = Evaluation.exact(exact, network, objective, logZ);
            return new Snapshot(seen, step, loss, e.logZEstimate(), e.logZError(), e.l1(), e.jsd(), e.edgeFlowError(), modes,
                    top, seconds);
        }
        double estimate = logZEstimateAtOrigin(env, network, objective, logZ);
        return new Snapshot(seen, step, loss, estimate, Double.isNaN(trueLogZ) ? Double.NaN : Math.abs(estimate - trueLogZ),
                Double.NaN, Double.NaN, Double.NaN, modes, top, seconds);
    }

    /** The model's log Z, from the network's outputs at s0 where the objective takes it from there. */
    public static double logZEstimateAtOrigin(GfnEnvironment env, PolicyNetwork network, Objective objective, double logZ) {
        float[] x = new float[env.encodingWidth()];
        env.encode(env.initialState(), x, 0);
        float[] o = new float[env.actionCount() + 1];
        network.evaluate(x, 1, o);
        double[] od = new double[o.length];
        for (int i = 0; i < o.length; i++) {
            od[i] = o[i];
        }
        return objective.estimateLogZ(env, od, logZ);
    }
}
