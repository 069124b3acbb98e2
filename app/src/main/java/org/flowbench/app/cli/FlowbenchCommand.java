package org.flowbench.app.cli;

import org.flowbench.app.shell.Labs;
import org.flowbench.compute.io.MessageText;
import org.flowbench.views.jobs.Failures;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * Root of the headless command line. Each subcommand is a class of its own; this class only
 * names them and turns every kind of bad input into one line on stderr and exit code 2.
 */
@Command(name = "flowbench",
        mixinStandardHelpOptions = true,
        versionProvider = FlowbenchCommand.Version.class,
        description = "Flowbench: see how flow-based generative models and normalization layers behave.%n"
                + "Without a subcommand, java -jar flowbench.jar opens the workbench window;%n"
                + "java -jar flowbench.jar --lab ID opens it on a lab (trajectories, normalization, poincare, gflownets).",
        subcommands = {
                DevicesCommand.class,
                BenchCommand.class,
                ImportCheckpointCommand.class,
                CommandLine.HelpCommand.class
        })
public final class FlowbenchCommand implements Runnable {

    /** Exit code for bad arguments or bad input. */
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (see --help)");
    }

    /** Runs the command line and returns the exit code; output goes to the given writers. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return execute(create(), args, out, err);
    }

    /** Runs {@code cli} (from {@link #create(java.util.List)}) and returns the exit code. */
    public static int execute(CommandLine cli, String[] args, PrintWriter out, PrintWriter err) {
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    public static CommandLine create() {
        return create(Labs.entries());
    }

    /** The command line of these labs: {@code export} draws their figures, and each brings its own subcommands. */
    public static CommandLine create(java.util.List<Labs.Entry> labs) {
        CommandLine cli = new CommandLine(new FlowbenchCommand());
        cli.addSubcommand("export", new ExportCommand(Labs.figures(labs)));
        for (Labs.Entry lab : labs) {
            for (Class<?> command : lab.commands()) {
                cli.addSubcommand(command);
            }
        }
        cli.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("flowbench: " + MessageText.joinLines(ex.getMessage(), ""));
            ex.getCommandLine().getErr().flush();
            return EXIT_BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("flowbench: " + describe(ex));
            commandLine.getErr().flush();
            return EXIT_BAD_INPUT;
        });
        return cli;
    }

    /** One line naming the problem, never a stack trace (the same wording the window uses). */
    static String describe(Throwable ex) {
        return Failures.oneLine(ex);
    }

    /** Version from the jar manifest when packaged. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FlowbenchCommand.class.getPackage().getImplementationVersion();
            return new String[] {"Flowbench " + (v == null ? "development build" : v)};
        }
    }
}
