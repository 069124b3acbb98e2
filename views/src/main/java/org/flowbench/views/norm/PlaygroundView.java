package org.flowbench.views.norm;

/**
 * One of the views a playground page (Norm layers, Scale invariance) shows of its result: a
 * toggle in the page's view bar, the {@code view} key of its lesson set-ups and sessions.
 */
interface PlaygroundView {

    /** The toggle's text. */
    String label();

    /** The toggle's tooltip: what the view shows. */
    String help();

    /** The name set-ups, sessions and figure names use. */
    String id();
}
