package org.flowbench.views.jobs;

import org.flowbench.compute.io.MessageText;

/** Turns an exception into the one line a user reads; the full trace stays available on demand. */
public final class Failures {

    private Failures() {
    }

    /** The most telling message in the cause chain, on one line, never a stack trace. */
    public static String oneLine(Throwable error) {
        String message = null;
        for (Throwable t = error; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank()) {
                message = m;
                // A wrapper whose message is just its cause's toString() says less than the cause.
                if (t.getCause() == null || !m.equals(t.getCause().toString())) {
                    break;
                }
            }
        }
        if (message == null) {
            message = error == null ? "unknown error" : error.getClass().getSimpleName();
        }
        return MessageText.joinLines(message, "");
    }

    /** The full stack trace, for the "details" view. */
    public static String details(Throwable error) {
        java.io.StringWriter text = new java.io.StringWriter();
        error.printStackTrace(new java.io.PrintWriter(text));
        return text.toString();
    }
}
