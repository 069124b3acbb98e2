package org.flowbench.compute.gflownet;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.flowbench.compute.io.MessageText.abbreviate;

/**
 * Parses environment descriptions: {@code hypergrid:D=2,H=8[,R0=0.1][,R1=0.5][,R2=2]} and
 * {@code sets:U=30,S=20[,energy_seed=0]}. Keys are case-insensitive; an unknown key, a missing
 * one or a malformed number is an {@link IllegalArgumentException} naming it.
 */
public final class Environments {

    private Environments() {
    }

    public static GfnEnvironment parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("environment is empty (expected hypergrid:D=..,H=.. or sets:U=..,S=..)");
        }
        String s = spec.strip();
        int colon = s.indexOf(':');
        String kind = (colon < 0 ? s : s.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
        Map<String, String> fields = fields(colon < 0 ? "" : s.substring(colon + 1), s);
        switch (kind) {
            case "hypergrid" -> {
                allow(fields, s, "d", "h", "r0", "r1", "r2");
                return new HyperGrid(integer(fields, "d", null, s), integer(fields, "h", null, s),
                        real(fields, "r0", HyperGrid.DEFAULT_R0, s), real(fields, "r1", HyperGrid.DEFAULT_R1, s),
                        real(fields, "r2", HyperGrid.DEFAULT_R2, s));
            }
            case "sets" -> {
                allow(fields, s, "u", "s", "energy_seed");
                String seed = fields.get("energy_seed");
                long energySeed;
                try {
                    energySeed = seed == null ? 0 : Long.parseLong(seed);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("environment '" + abbreviate(s) + "': energy_seed '" + abbreviate(seed)
                            + "' is not a whole number");
                }
                return new SetGeneration(integer(fields, "u", null, s), integer(fields, "s", null, s), energySeed);
            }
            default -> throw new IllegalArgumentException("unknown environment '" + abbreviate(kind)
                    + "' (expected hypergrid:D=..,H=.. or sets:U=..,S=..)");
        }
    }

    private static Map<String, String> fields(String body, String whole) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (body.isBlank()) {
            return fields;
        }
        for (String part : body.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("environment '" + abbreviate(whole) + "' has a malformed entry '"
                        + abbreviate(part.strip()) + "' (expected KEY=VALUE)");
            }
            String key = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            if (fields.put(key, part.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException("environment '" + abbreviate(whole) + "' names '" + key + "' twice");
            }
        }
        return fields;
    }

    private static void allow(Map<String, String> fields, String whole, String... keys) {
        Set<String> allowed = Set.of(keys);
        for (String key : fields.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("environment '" + abbreviate(whole) + "' has an unknown key '"
                        + abbreviate(key) + "' (allowed: " + String.join(", ", keys) + ")");
            }
        }
    }

    private static int integer(Map<String, String> fields, String key, Integer fallback, String whole) {
        String v = fields.get(key);
        if (v == null) {
            if (fallback == null) {
                throw new IllegalArgumentException("environment '" + abbreviate(whole) + "' lacks " + key.toUpperCase(Locale.ROOT));
            }
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("environment '" + abbreviate(whole) + "': " + key.toUpperCase(Locale.ROOT) + " '"
                    + abbreviate(v) + "' is not a whole number");
        }
    }

    private static double real(Map<String, String> fields, String key, double fallback, String whole) {
        String v = fields.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            double x = Double.parseDouble(v);
            if (!Double.isFinite(x)) {
                throw new NumberFormatException();
            }
            return x;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("environment '" + abbreviate(whole) + "': " + key.toUpperCase(Locale.ROOT) + " '"
                    + abbreviate(v) + "' is not a finite number");
        }
    }

    /** The shortest decimal that reads back as the same double. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
