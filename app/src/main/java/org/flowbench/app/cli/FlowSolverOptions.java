package org.flowbench.app.cli;

import org.flowbench.compute.ode.DormandPrince;
import org.flowbench.compute.ode.OdeSolver;
import org.flowbench.compute.ode.Solvers;
import org.flowbench.compute.ode.TimeGrid;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a command integrates a model from t = 0 to 1: a fixed-step solver with an NFE budget
 * ({@code --solver euler|midpoint|heun|rk4 --nfe K}), adaptive Dormand-Prince
 * ({@code --solver dopri5 --atol A --rtol R}), or Euler on a BOSS schedule
 * ({@code --schedule boss:K}, or {@code --schedule FILE} holding a schedule written by
 * {@code flowbench boss}).
 */
public final class FlowSolverOptions {

    /** Default solver when none is named. */
    static final String DEFAULT_SOLVER = "rk4";
    /** Default function evaluations of a fixed-step solver. */
    static final int DEFAULT_NFE = 100;

    @Option(names = "--solver", paramLabel = "euler|midpoint|heun|rk4|dopri5",
            description = "ODE solver (default: " + DEFAULT_SOLVER + ").")
    String solver;

    @Option(names = "--nfe", paramLabel = "K",
            description = "Function evaluations of a fixed-step solver; a multiple of its stages (default: " + DEFAULT_NFE + ").")
    Integer nfe;

    @Option(names = "--atol", paramLabel = "A", description = "dopri5 absolute tolerance (default: 1e-5).")
    Double atol;

    @Option(names = "--rtol", paramLabel = "R", description = "dopri5 relative tolerance (default: 1e-5).")
    Double rtol;

    @Option(names = "--schedule", paramLabel = "boss:K|FILE",
            description = "Euler on a BOSS schedule: boss:K computes a K-step schedule from the model, FILE reads one written by 'flowbench boss'.")
    String schedule;

    /** A resolved choice: the solver and the grid it lands on, or a BOSS schedule still to compute. */
    record Plan(OdeSolver solver, TimeGrid grid, int bossSteps, String description) {
        boolean needsBoss() {
            return grid == null;
        }
    }

    /** The schedule file the run reads, or null when --schedule names none. */
    Path scheduleFile() {
        if (schedule == null || schedule.strip().toLowerCase(Locale.ROOT).startsWith("boss:")) {
            return null;
        }
        return Path.of(schedule.strip());
    }

    /** Whether the user named any solver option. */
    boolean anyGiven() {
        return solver != null || nfe != null || atol != null || rtol != null || schedule != null;
    }

    Plan plan() throws IOException {
        if (schedule != null) {
            if (solver != null && !solver.strip().equalsIgnoreCase("euler")) {
                throw new IllegalArgumentException("--schedule steps with Euler; drop --solver " + solver);
            }
            if (nfe != null || atol != null || rtol != null) {
                throw new IllegalArgumentException("--schedule sets the steps itself; drop --nfe, --atol and --rtol");
            }
            String s = schedule.strip();
            if (s.toLowerCase(Locale.ROOT).startsWith("boss:")) {
                int k;
                try {
                    k = Integer.parseInt(s.substring(5).strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--schedule " + schedule + ": K is not a whole number");
                }
                OptionChecks.atMost("--schedule boss:K", k, 1000);
                return new Plan(Solvers.byName("euler"), null, k, "euler on a " + k + "-step BOSS schedule");
            }
            TimeGrid grid = readSchedule(OptionChecks.existingFile("--schedule", Path.of(s)));
            return new Plan(Solvers.byName("euler"), grid, grid.steps(), "euler on the " + grid.steps() + "-step schedule " + s);
        }
        String name = solver == null ? DEFAULT_SOLVER : solver.strip().toLowerCase(Locale.ROOT);
        OdeSolver chosen = Solvers.byName(name);
        if (chosen instanceof DormandPrince) {
            if (nfe != null) {
                throw new IllegalArgumentException("dopri5 chooses its own steps; use --atol and --rtol instead of --nfe");
            }
            double a = atol == null ? DormandPrince.DEFAULT_TOLERANCE : OptionChecks.positiveFinite("--atol", atol);
            double r = rtol == null ? DormandPrince.DEFAULT_TOLERANCE : OptionChecks.positiveFinite("--rtol", rtol);
            return new Plan(Solvers.byName(name, a, r), TimeGrid.forward(1), 0,
                    String.format(Locale.ROOT, "dopri5 atol %g rtol %g", a, r));
        }
        if (atol != null || rtol != null) {
            throw new IllegalArgumentException("--atol and --rtol apply to dopri5 only, not " + name);
        }
        int budget = nfe == null ? DEFAULT_NFE : OptionChecks.atMost("--nfe", nfe, TimeGrid.MAX_STEPS);
        int perStep = chosen.nfePerStep();
        if (budget % perStep != 0) {
            throw new IllegalArgumentException("--nfe " + budget + " is not a multiple of " + name + "'s " + perStep
                    + " evaluations per step");
        }
        int steps = budget / perStep;
        return new Plan(chosen, TimeGrid.forward(steps), 0, name + " " + steps + " steps (" + budget + " NFE)");
    }

    /** A schedule CSV: a header line naming column t, then one time per line (extra columns ignored). */
    static TimeGrid readSchedule(Path file) throws IOException {
        if (Files.size(file) > (1 << 20)) {
            throw new IllegalArgumentException("schedule file " + file + " is larger than 1 MiB");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("schedule file " + file + " is not UTF-8 text (a CSV written by 'flowbench boss')");
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("schedule file " + file + " is empty");
        }
        String[] header = lines.get(0).split(",");
        int column = -1;
        for (int i = 0; i < header.length; i++) {
            if (header[i].strip().equals("t")) {
                column = i;
            }
        }
        if (column < 0) {
            throw new IllegalArgumentException("schedule file " + file + " has no column named t in its header");
        }
        List<Double> times = new ArrayList<>();
        for (int line = 1; line < lines.size(); line++) {
            if (lines.get(line).isBlank()) {
                continue;
            }
            String[] cells = lines.get(line).split(",");
            try {
                times.add(Double.parseDouble(cells[column].strip()));
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("schedule file " + file + " line " + (line + 1) + " has no number in column t");
            }
        }
        double[] t = times.stream().mapToDouble(Double::doubleValue).toArray();
        if (t.length < 2 || t[0] != 0 || t[t.length - 1] != 1) {
            throw new IllegalArgumentException("schedule file " + file + " must run from t = 0 to t = 1");
        }
        try {
            return TimeGrid.of(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schedule file " + file + ": " + e.getMessage());
        }
    }
}
