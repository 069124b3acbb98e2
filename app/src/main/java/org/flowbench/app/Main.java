package org.flowbench.app;

import javafx.application.Application;
import org.flowbench.app.cli.FlowbenchCommand;

import java.io.PrintWriter;

/**
 * Entry point of flowbench.jar. Without arguments it opens the workbench window; with a
 * subcommand it runs headless. (A plain class, not an Application subclass, so the jar starts
 * with JavaFX on the class path.)
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            Application.launch(FlowbenchApp.class);
            return;
        }
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = FlowbenchCommand.execute(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
