package org.flowbench.app.cli;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceKind;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code flowbench devices}, {@code flowbench bench} and the {@code --device} option. */
class DeviceCommandsTest {

    @Test
    void devicesListsCpuAndTheOpenClDevicesWithTheDefault() {
        CommandLineRunner r = CommandLineRunner.run("devices");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\\R");
        assertThat(lines[0]).startsWith("NAME").contains("TYPE", "UNITS", "MEMORY");
        assertThat(lines[1]).startsWith("cpu ").contains(" CPU ");
        assertThat(r.out()).contains("opencl:0 ").containsPattern("(?m)^default: (cpu|opencl:\\d+)");
    }

    @Test
    void benchPrintsATableOfRatesAgainstTheSameRunBaselines() {
        CommandLineRunner r = CommandLineRunner.run("bench", "--device", "cpu", "--seconds", "0.05");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("benchmarking cpu");
        assertThat(r.out()).contains("sgemm (ND4J)", "copy (arraycopy)", "MLP forward", "LayerNorm forward",
                "LayerNorm backward", "GFLOP/s", "GB/s", "x sgemm (ND4J)", "x copy (arraycopy)",
                "particle evaluations/s");
    }

    @Test
    void anUnknownDeviceIsOneLineAndExitCodeTwo() {
        CommandLineRunner r = CommandLineRunner.run("bench", "--device", "tpu");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("flowbench: unknown device 'tpu' (expected cpu, best")
                .doesNotContain("\n");
        CommandLineRunner s = CommandLineRunner.run("bench", "--device", "cpu", "--seconds", "-1");
        assertThat(s.exitCode()).isEqualTo(2);
        assertThat(s.err().strip()).isEqualTo("flowbench: --seconds must be in (0, 60], got -1.0");
    }

    @Test
    void theMixinOpensTheNamedDeviceAndDefaultsToTheBestOne() {
        DeviceOptions options = new DeviceOptions();
        new CommandLine(new Object() {
            @CommandLine.Mixin
            DeviceOptions device = options;
        }).parseArgs("--device", "opencl:0");
        assertThat(options.resolve()).isEqualTo("opencl:0");
        StringWriter err = new StringWriter();
        try (ComputeDevice d = options.open(new PrintWriter(err, true))) {
            assertThat(d.kind()).isEqualTo(DeviceKind.OPENCL);
            assertThat(d.name()).isEqualTo("opencl:0");
        }
        assertThat(err.toString()).isEmpty();

        DeviceOptions defaults = new DeviceOptions();
        new CommandLine(new Object() {
            @CommandLine.Mixin
            DeviceOptions device = defaults;
        }).parseArgs();
        assertThat(defaults.name()).isEqualTo(System.getProperty("flowbench.device", "best"));
        assertThatThrownBy(() -> {
            DeviceOptions wrong = new DeviceOptions();
            new CommandLine(new Object() {
                @CommandLine.Mixin
                DeviceOptions device = wrong;
            }).parseArgs("--device", "opencl:99");
            wrong.resolve();
        }).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("no device 'opencl:99'");
    }
}
