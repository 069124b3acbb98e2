/** The Flowbench application: the entry point that opens the window or runs the command line, and the JavaFX application. */
package org.flowbench.app;
