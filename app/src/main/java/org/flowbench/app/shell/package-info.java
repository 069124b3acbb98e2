/** The application shell: main window, menus, shortcuts, theme, settings, and the actions behind them. */
package org.flowbench.app.shell;
