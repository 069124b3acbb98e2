package org.flowbench.compute.lm;

import org.flowbench.compute.data.SeededRandom;

import java.util.Arrays;
import java.util.Locale;

/**
 * Character tasks that need no file; the loss is taken only where the answer is determined.
 * <ul>
 *   <li>{@code copy}: n random symbols, a separator, the same n symbols again (loss on the copy);</li>
 *   <li>{@code reverse}: the same with the symbols reversed;</li>
 *   <li>{@code modadd}: {@code a + b =} then {@code (a + b) mod p}, numbers as single tokens
 *       (loss on the answer).</li>
 * </ul>
 */
public final class SyntheticTask implements LmData {

    /** The tasks. */
    public enum Kind { COPY, REVERSE, MODADD }

    private final Kind kind;
    private final int size;

    /**
     * @param size the number of symbols to copy or reverse (alphabet of 10 symbols), or the modulus p
     */
    public SyntheticTask(Kind kind, int size) {
        this.kind = kind;
        int max = kind == Kind.MODADD ? 1000 : 512;
        if (size < 1 || size > max) {
            throw new IllegalArgumentException((kind == Kind.MODADD ? "modulus" : "length") + " must be in [1, " + max
                    + "], got " + size);
        }
        this.size = size;
    }

    /** Parses {@code copy}, {@code reverse} or {@code modadd}. */
    public static Kind parseKind(String text) {
        for (Kind k : Kind.values()) {
            if (k.name().equalsIgnoreCase(text.strip())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown task '" + text + "' (expected one of "
                + Arrays.toString(Kind.values()).toLowerCase(Locale.ROOT) + ")");
    }

    /** Symbols of copy/reverse. */
    static final int ALPHABET = 10;

    @Override
    public int vocab() {
        return kind == Kind.MODADD ? size + 2 : ALPHABET + 1;
    }

    @Override
    public int seq() {
        return kind == Kind.MODADD ? 4 : 2 * size + 1;
    }

    @Override
    public LmBatch next(int batch, SeededRandom rnd) {
        int seq = seq();
        int[] tokens = new int[batch * seq];
        int[] targets = new int[batch * seq];
        Arrays.fill(targets, -1);
        for (int b = 0; b < batch; b++) {
            int o = b * seq;
            if (kind == Kind.MODADD) {
                int a = rnd.nextInt(size);
                int c = rnd.nextInt(size);
                tokens[o] = a;
                tokens[o + 1] = size;       // '+'
                tokens[o + 2] = c;
                tokens[o + 3] = size + 1;   // '='
                targets[o + 3] = (a + c) % size;
            } else {
                int[] s = new int[size];
                for (int i = 0; i < size; i++) {
                    s[i] = rnd.nextInt(ALPHABET);
                    tokens[o + i] = s[i];
                }
                tokens[o + size] = ALPHABET; // separator
                for (int i = 0; i < size; i++) {
                    int answer = kind == Kind.COPY ? s[i] : s[size - 1 - i];
                    // Position size + i predicts answer i; its input is the separator or the previous answer.
                    targets[o + size + i] = answer;
                    if (i + 1 < size) {
                        tokens[o + size + 1 + i] = answer;
                    }
                }
                tokens[o + 2 * size] = kind == Kind.COPY ? s[size - 1] : s[0];
            }
        }
        return new LmBatch(tokens, targets, batch, seq);
    }

    @Override
    public String describe() {
        return kind.name().toLowerCase(Locale.ROOT) + (kind == Kind.MODADD ? " mod " : " of length ") + size;
    }
}
