/**
 * Files a run writes: the checks that keep a command or a save dialog from destroying a file
 * (an input of the same run, an existing file nobody agreed to replace, a folder) and the
 * atomic write that names the user's path and the operating system's reason when it fails.
 */
package org.flowbench.compute.io;
