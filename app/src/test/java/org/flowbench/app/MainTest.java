package org.flowbench.app;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code flowbench --lab ID} opens the window on a lab; anything else is a subcommand line. */
class MainTest {

    @Test
    void labOptionIsTheWholeCommandLine() {
        assertThat(Main.labOption(new String[] {"--lab", "poincare"})).isEqualTo("poincare");
        assertThat(Main.labOption(new String[] {"--lab=gflownets"})).isEqualTo("gflownets");
        assertThat(Main.labOption(new String[] {"export", "--lab", "x"})).isNull();
        assertThat(Main.labOption(new String[] {"--lab"})).isNull();
        assertThat(Main.labOption(new String[] {"devices"})).isNull();
    }
}
