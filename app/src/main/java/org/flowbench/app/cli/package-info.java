/** The headless command line: one picocli class per subcommand; progress on stderr, results on stdout, exit 2 on bad input. */
package org.flowbench.app.cli;
