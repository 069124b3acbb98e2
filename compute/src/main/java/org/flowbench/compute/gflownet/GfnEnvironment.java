package org.flowbench.compute.gflownet;

/**
 * A GFlowNet environment: a DAG of states, entered at {@link #initialState()}, left by the exit
 * action at a terminal state x with reward R(x) > 0.
 *
 * <p>States are {@code int[dimension()]} vectors. Forward actions are numbered
 * {@code 0..actionCount()-1}; the last, {@link #exitAction()}, terminates the trajectory at the
 * current state. Backward actions are numbered {@code 0..actionCount()-2}, and backward action i
 * undoes forward action i, so the parent reached backward by i is the state from which forward
 * action i leads here. Every move increases {@link #depth} by exactly one, which orders the
 * states topologically.
 *
 * <p>The energy is additive along trajectories: {@code energy(s)} is the intermediate energy of a
 * state, the energy of a transition is {@code energy(s') - energy(s)}, and at every state where
 * the exit is allowed {@code energy(x) = -logReward(x)}; forward-looking objectives use it.
 *
 * <p>Implementations are immutable and safe to share between threads.
 */
public interface GfnEnvironment {

    /** Canonical description, parsed back by {@link Environments#parse}, e.g. {@code hypergrid:D=2,H=8,R0=0.1,R1=0.5,R2=2}. */
    String spec();

    /** Integers per state. */
    int dimension();

    /** Forward actions, the exit included. */
    int actionCount();

    /** The forward action that terminates the trajectory at the current state: {@code actionCount() - 1}. */
    default int exitAction() {
        return actionCount() - 1;
    }

    /** Backward actions: {@code actionCount() - 1}. */
    default int backwardActionCount() {
        return actionCount() - 1;
    }

    /** Width of {@link #encode}'s output, the policy network's input. */
    int encodingWidth();

    /** The most non-exit moves any trajectory makes. */
    int maxTrajectoryLength();

    /** A new array holding the initial state s0. */
    int[] initialState();

    /** {@code mask[a]} = whether forward action a is allowed at s ({@code mask // [actionCount()]}). */
    void forwardMask(int[] s, boolean[] mask);

    /** {@code mask[b]} = whether backward action b is allowed at s ({@code mask // [backwardActionCount()]}). */
    void backwardMask(int[] s, boolean[] mask);

    /** Writes the state forward action {@code a} (not the exit, and allowed) leads to into {@code out}. */
    void step(int[] s, int a, int[] out);

    /** Writes the parent that backward action {@code b} (allowed) leads to into {@code out}. */
    void stepBack(int[] s, int b, int[] out);

    /** Number of parents of s (0 at s0); the uniform backward policy gives each 1/parentCount. */
    int parentCount(int[] s);

    /** Whether the exit is allowed at s. */
    boolean canTerminate(int[] s);

    /** log R(x) at a state where the exit is allowed. */
    double logReward(int[] s);

    /** The additive intermediate energy of s (see the class comment). */
    double energy(int[] s);

    /** Writes the policy network's input for s into {@code out[offset..offset + encodingWidth())}. */
    void encode(int[] s, float[] out, int offset);

    /** Number of moves from s0 to s. */
    int depth(int[] s);

    /** Whether x is one of the reward's modes; false where the environment defines none. */
    boolean isMode(int[] x);

    /** Whether the environment defines modes (HyperGrid does, set generation does not). */
    boolean hasModes();

    /** Number of states, or -1 when it exceeds what {@link StateGraph} enumerates. */
    long stateCount();

    /** A key unique to each state; defined only when {@link #stateCount()} is not -1. */
    long stateKey(int[] s);

    /** log Z by a closed form where one exists, else NaN (then {@link ExactFlows} enumerates). */
    default double logPartitionClosedForm() {
        return Double.NaN;
    }
}
