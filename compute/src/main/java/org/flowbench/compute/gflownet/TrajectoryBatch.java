package org.flowbench.compute.gflownet;

import java.util.List;

/**
 * A batch of trajectories laid out as the rows the network evaluates, with everything the
 * objectives need from the environment. Trajectory k holds rows {@code offset(k) ..
 * offset(k+1)-1}, one per state. Per row: the encoding, the forward mask, the action taken there
 * (-1 at the last state of an incomplete trajectory), log P_B of the move into the row's state
 * (uniform over parents; 0 for s0) and the state's intermediate energy. Per trajectory: whether
 * it is complete and log R of its terminal state.
 *
 * <p>With parents (flow matching needs them) every parent of every non-initial state is appended
 * as an extra row after the trajectory rows, and {@link #parentRow} / {@link #parentAction} name,
 * for each state row, those rows and the forward action leading from each to the state.
 */
public final class TrajectoryBatch {

    private final GfnEnvironment env;
    private final int count;
    private final int rows;
    private final int totalRows;
    private final int[] offsets;
    private final boolean[] complete;
    private final double[] logRewards;
    private final float[] encodings;
    private final boolean[] masks;
    private final int[] actions;
    private final double[] logBackward;
    private final double[] energies;
    private final int[] parentStart;
    private final int[] parentRows;
    private final int[] parentActions;

    private TrajectoryBatch(GfnEnvironment env, List<Trajectory> trajectories, boolean withParents) {
        if (trajectories.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one trajectory");
        }
        this.env = env;
        count = trajectories.size();
        int dim = env.dimension();
        int a = env.actionCount();
        int width = env.encodingWidth();
        offsets = new int[count + 1];
        for (int k = 0; k < count; k++) {
            offsets[k + 1] = offsets[k] + trajectories.get(k).length();
        }
        rows = offsets[count];
        int extra = 0;
        int[] s = new int[dim];
        if (withParents) {
            for (Trajectory t : trajectories) {
                for (int i = 1; i < t.length(); i++) {
                    System.arraycopy(t.states(), i * dim, s, 0, dim);
                    extra += env.parentCount(s);
                }
            }
        }
        totalRows = rows + extra;
        complete = new boolean[count];
        logRewards = new double[count];
        encodings = new float[totalRows * width];
        masks = new boolean[rows * a];
        actions = new int[rows];
        logBackward = new double[rows];
        energies = new double[rows];
        parentStart = withParents ? new int[rows + 1] : null;
        parentRows = withParents ? new int[extra] : null;
        parentActions = withParents ? new int[extra] : null;
        boolean[] mask = new boolean[a];
        boolean[] back = new boolean[Math.max(1, a - 1)];
        int[] parent = new int[dim];
        int nextExtra = rows;
        for (int k = 0; k < count; k++) {
            Trajectory t = trajectories.get(k);
            if (t.dimension() != dim) {
                throw new IllegalArgumentException("trajectory of dimension " + t.dimension() + " in a batch of " + env.spec());
            }
            complete[k] = t.isComplete();
            for (int i = 0; i < t.length(); i++) {
                int r = offsets[k] + i;
                System.arraycopy(t.states(), i * dim, s, 0, dim);
                env.encode(s, encodings, r * width);
                env.forwardMask(s, mask);
                System.arraycopy(mask, 0, masks, r * a, a);
                actions[r] = t.actions()[i];
                if (actions[r] >= 0 && !mask[actions[r]]) {
                    throw new IllegalArgumentException("trajectory " + k + " takes a forbidden action at step " + i);
                }
                if (i < t.length() - 1 && actions[r] == env.exitAction()) {
                    throw new IllegalArgumentException("trajectory " + k + " exits before its last state");
                }
                logBackward[r] = i == 0 ? 0 : -Math.log(env.parentCount(s));
                energies[r] = env.energy(s);
                if (withParents) {
                    parentStart[r] = nextExtra - rows;
                    if (i > 0) {
                        env.backwardMask(s, back);
                        for (int b = 0; b < a - 1; b++) {
                            if (back[b]) {
                                env.stepBack(s, b, parent);
                                env.encode(parent, encodings, nextExtra * width);
                                parentRows[nextExtra - rows] = nextExtra;
                                parentActions[nextExtra - rows] = b;
                                nextExtra++;
                            }
                        }
                    }
                }
            }
            logRewards[k] = complete[k] ? env.logReward(t.last()) : Double.NaN;
        }
        if (withParents) {
            parentStart[rows] = nextExtra - rows;
        }
    }

    public static TrajectoryBatch of(GfnEnvironment env, List<Trajectory> trajectories, boolean withParents) {
        return new TrajectoryBatch(env, trajectories, withParents);
    }

    public GfnEnvironment environment() {
        return env;
    }

    /** Number of trajectories. */
    public int count() {
        return count;
    }

    /** Rows that are trajectory states. */
    public int stateRows() {
        return rows;
    }

    /** All rows the network evaluates, parent rows included. */
    public int totalRows() {
        return totalRows;
    }

    /** First row of trajectory k; {@code offset(count())} is {@link #stateRows()}. */
    public int offset(int k) {
        return offsets[k];
    }

    public boolean isComplete(int k) {
        return complete[k];
    }

    /** log R of trajectory k's terminal state (NaN for an incomplete one). */
    public double logReward(int k) {
        return logRewards[k];
    }

    /** {@code [totalRows()*encodingWidth]}, the network input; not a copy. */
    public float[] encodings() {
        return encodings;
    }

    public boolean[] masks() {
        return masks;
    }

    public int action(int row) {
        return actions[row];
    }

    public double logBackward(int row) {
        return logBackward[row];
    }

    public double energy(int row) {
        return energies[row];
    }

    public boolean hasParents() {
        return parentStart != null;
    }

    /** Parents of state row r are entries {@code parentStart(r) .. parentStart(r+1)-1}. */
    public int parentStart(int row) {
        return parentStart[row];
    }

    public int parentRow(int entry) {
        return parentRows[entry];
    }

    public int parentAction(int entry) {
        return parentActions[entry];
    }
}
