package org.flowbench.app.cli.gflownet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flowbench.app.cli.JsonOption;
import org.flowbench.compute.gflownet.Environments;
import org.flowbench.compute.gflownet.ExactFlows;
import org.flowbench.compute.gflownet.GfnEnvironment;
import org.flowbench.compute.gflownet.SetGeneration;
import org.flowbench.compute.gflownet.StateGraph;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code flowbench gfn-exact}: the exact partition function, modes and (with {@code --flows}) the
 * true state and edge flows under the uniform backward policy of an enumerable environment; for
 * a set task too large to enumerate, log Z from its closed form.
 */
@Command(name = "gfn-exact",
        description = "Exact Z, modes and true flows (uniform backward policy) of a GFlowNet environment.",
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class GfnExactCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    EnvironmentOption env;

    @Option(names = "--flows", paramLabel = "FILE",
            description = "CSV, one row per state: x0,...,x{D-1},reward,state_flow,then the edge flow of each forward action "
                    + "(f0..., the exit last; 0 where not allowed).")
    Path flows;

    @Option(names = "--force", description = "Replace an existing flows file.")
    boolean force;

    @CommandLine.Mixin
    JsonOption.InsteadOfLines json;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        GfnEnvironment environment = Environments.parse(env.spec());
        GfnCli.writable("--flows", flows, force);
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("env", environment.spec());
        if (environment.stateCount() >= 0) {
            long t0 = System.nanoTime();
            ExactFlows exact = ExactFlows.of(environment);
            double ms = (System.nanoTime() - t0) / 1e6;
            o.put("states", exact.graph().size());
            o.put("edges", exact.graph().edgeCount());
            o.put("z", exact.z());
            o.put("log_z", exact.logZ());
            if (environment.hasModes()) {
                o.put("modes", exact.modeCount());
            }
            o.put("exact_ms", ms);
            if (flows != null) {
                writeFlows(flows, exact);
            }
        } else {
            if (flows != null) {
                throw new IllegalArgumentException("--flows needs an environment small enough to enumerate; " + environment.spec()
                        + " is not");
            }
            double logZ = environment.logPartitionClosedForm();
            if (Double.isNaN(logZ)) {
                throw new IllegalArgumentException("environment " + environment.spec() + " is too large to enumerate and has no closed form");
            }
            o.put("log_z", logZ);
            o.put("z", Math.exp(logZ));
        }
        if (environment instanceof SetGeneration sets) {
            o.put("best_reward", Math.exp(sets.maxLogReward()));
        }
        if (json.requested()) {
            stdout.println(o);
        } else {
            o.fields().forEachRemaining(f -> stdout.println(f.getKey() + " "
                    + (f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString())));
        }
        stdout.flush();
        return 0;
    }

    private static void writeFlows(Path file, ExactFlows exact) throws java.io.IOException {
        StateGraph g = exact.graph();
        int dim = g.environment().dimension();
        int actions = g.actions();
        GfnCli.writeText(file, w -> {
            StringBuilder header = new StringBuilder();
            for (int i = 0; i < dim; i++) {
                header.append('x').append(i).append(',');
            }
            header.append("reward,state_flow");
            for (int a = 0; a < actions; a++) {
                header.append(",f").append(a);
            }
            w.write(header.append('\n').toString());
            int[] s = new int[dim];
            for (int i = 0; i < g.size(); i++) {
                g.state(i, s);
                StringBuilder row = new StringBuilder();
                for (int v : s) {
                    row.append(v).append(',');
                }
                row.append(g.canTerminate(i) ? Math.exp(g.logReward(i)) : 0).append(',').append(exact.stateFlow(i));
                for (int a = 0; a < actions; a++) {
                    row.append(',').append(exact.edgeFlow(i, a));
                }
                w.write(row.append('\n').toString());
            }
        });
    }
}
