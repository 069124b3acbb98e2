package org.flowbench.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Checks of option values that several labs' commands share. Each failure is one line naming
 * the option and the value, which the command line prints with exit code 2.
 */
public final class OptionChecks {

    private OptionChecks() {
    }

    /** A count: 1 or more. */
    public static long positive(String option, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be a positive whole number, got " + value);
        }
        return value;
    }

    /** A count from 1 to {@code limit}. */
    public static int atMost(String option, int value, int limit) {
        positive(option, value);
        if (value > limit) {
            throw new IllegalArgumentException(option + " must be at most " + limit + ", got " + value);
        }
        return value;
    }

    /** A whole number from {@code lo} to {@code hi}. */
    public static int range(String option, int value, int lo, int hi) {
        return (int) range(option, (long) value, lo, hi);
    }

    /** A whole number from {@code lo} to {@code hi}. */
    public static long range(String option, long value, long lo, long hi) {
        if (value < lo || value > hi) {
            throw new IllegalArgumentException(option + " must be in [" + lo + ", " + hi + "], got " + value);
        }
        return value;
    }

    /** A learning rate, tolerance or temperature: finite and positive. */
    public static double positiveFinite(String option, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(option + " must be a positive finite number, got " + value);
        }
        return value;
    }

    public static double nonNegative(String option, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(option + " must be a non-negative finite number, got " + value);
        }
        return value;
    }

    /** An input file that must exist and be a regular file. */
    public static Path existingFile(String option, Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException(option + " is required");
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file (" + option + ")");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + " " + file + " is not a regular file");
        }
        return file;
    }
}
