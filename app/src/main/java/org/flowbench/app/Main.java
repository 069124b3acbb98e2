package org.flowbench.app;

import javafx.application.Application;
import org.flowbench.app.cli.FlowbenchCommand;
import org.flowbench.app.shell.Labs;
import org.flowbench.views.lab.LabDescriptor;

import java.io.PrintWriter;
import java.util.List;

/**
 * Entry point of flowbench.jar. Without arguments it opens the workbench window; with
 * {@code --lab ID} it opens the window on that lab; with a subcommand it runs headless. (A plain
 * class, not an Application subclass, so the jar starts with JavaFX on the class path.)
 */
public final class Main {

    /**
     * JavaFX's own logger. The jar puts JavaFX on the class path (so it starts with a plain
     * {@code java -jar}), and JavaFX then warns on every start that it was not loaded as modules;
     * that line says nothing a user can act on. Held here so the level set on it stays.
     */
    private static final java.util.logging.Logger JAVAFX_LOG = java.util.logging.Logger.getLogger("javafx");

    private Main() {
    }

    public static void main(String[] args) {
        java.util.Optional<Integer> relaunched = SignalChaining.relaunchIfNeeded(args);
        if (relaunched.isPresent()) {
            System.exit(relaunched.get());
        }
        JAVAFX_LOG.setLevel(java.util.logging.Level.SEVERE);
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        if (args.length == 0) {
            Application.launch(FlowbenchApp.class);
            return;
        }
        String lab = labOption(args);
        if (lab != null) {
            List<String> ids = Labs.descriptors().stream().map(LabDescriptor::id).toList();
            if (!ids.contains(lab)) {
                err.println("flowbench: no lab '" + lab + "' (labs: " + String.join(", ", ids) + ")");
                System.exit(FlowbenchCommand.EXIT_BAD_INPUT);
            }
            Application.launch(FlowbenchApp.class, FlowbenchApp.LAB_OPTION + "=" + lab);
            return;
        }
        int code = FlowbenchCommand.execute(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** The lab of {@code --lab ID} or {@code --lab=ID} when that is the whole command line, else null. */
    static String labOption(String[] args) {
        if (args.length == 2 && args[0].equals("--lab")) {
            return args[1];
        }
        if (args.length == 1 && args[0].startsWith("--lab=")) {
            return args[0].substring("--lab=".length());
        }
        return null;
    }
}
