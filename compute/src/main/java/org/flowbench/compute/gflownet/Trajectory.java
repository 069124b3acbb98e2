package org.flowbench.compute.gflownet;

import java.util.Arrays;

/**
 * One trajectory s0 -> s1 -> ... -> s_n, as its states {@code [(n+1)*dimension]} and the forward
 * action taken at each {@code [n+1]}: the move to the next state, and at the last state the exit
 * for a complete trajectory or -1 for an incomplete one (cut before its end, its reward unseen).
 */
public record Trajectory(int dimension, int[] states, int[] actions) {

    public Trajectory {
        if (dimension < 1 || actions.length < 1 || states.length != actions.length * dimension) {
            throw new IllegalArgumentException("a trajectory needs one action per state, got " + actions.length
                    + " actions for " + states.length + " state entries of dimension " + dimension);
        }
    }

    /** Number of states. */
    public int length() {
        return actions.length;
    }

    /** Number of moves between states (the exit not counted). */
    public int moves() {
        return actions.length - 1;
    }

    public boolean isComplete() {
        return actions[actions.length - 1] >= 0;
    }

    public int[] state(int t) {
        return Arrays.copyOfRange(states, t * dimension, (t + 1) * dimension);
    }

    /** The final state (the terminal state x of a complete trajectory). */
    public int[] last() {
        return state(actions.length - 1);
    }

    /** This trajectory cut after {@code moves} moves, its last state left without an action. */
    public Trajectory truncate(int moves) {
        if (moves < 0 || moves > moves()) {
            throw new IllegalArgumentException("cannot cut a trajectory of " + moves() + " moves after " + moves);
        }
        int[] a = Arrays.copyOf(actions, moves + 1);
        a[moves] = -1;
        return new Trajectory(dimension, Arrays.copyOf(states, (moves + 1) * dimension), a);
    }
}
