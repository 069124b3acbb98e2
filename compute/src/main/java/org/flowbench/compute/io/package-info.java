/**
 * Files a run writes: the checks that keep a command or a save dialog from destroying a file
 * (an input of the same run, an existing file nobody agreed to replace, a folder) and the
 * atomic write that names the user's path and the operating system's reason when it fails; and
 * the text a one-line message quotes from a file or the operating system ({@link
 * org.flowbench.compute.io.MessageText}).
 */
package org.flowbench.compute.io;
