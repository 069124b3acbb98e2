package org.flowbench.app.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process and captures exit code, stdout and stderr. */
record CommandLineRunner(int exitCode, String out, String err) {

    static CommandLineRunner run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FlowbenchCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CommandLineRunner(code, out.toString(), err.toString());
    }
}
