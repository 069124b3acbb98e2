package org.flowbench.views.lab;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the files a lab opens with under {@code samples/}: the {@code flowbench.samples} system
 * property when set; else {@code samples/} in the working directory or one of its three parents
 * (running from the repository or a module folder); else the repository the running jar was built
 * in ({@code app/target/flowbench.jar} sits two folders below it), so the packaged app finds its
 * samples from any working directory.
 */
public final class SampleFolder {

    private SampleFolder() {
    }

    /**
     * The folder {@code samples/<sub>} (or {@code samples/} itself for an empty {@code sub}) that
     * holds {@code marker}; when none does, the path relative to the working directory, so the
     * error names what was looked for.
     */
    public static Path find(String sub, String marker) {
        String configured = System.getProperty("flowbench.samples");
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured).resolve(sub);
        }
        Path dir = Paths.get("").toAbsolutePath();
        for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
            Path candidate = dir.resolve("samples").resolve(sub);
            if (Files.isRegularFile(candidate.resolve(marker))) {
                return candidate;
            }
        }
        Path beside = besideJar(sub, marker);
        return beside != null ? beside : Paths.get("samples").resolve(sub);
    }

    private static Path besideJar(String sub, String marker) {
        try {
            Path code = Paths.get(SampleFolder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = code.getParent();
            for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
                Path candidate = dir.resolve("samples").resolve(sub);
                if (Files.isRegularFile(candidate.resolve(marker))) {
                    return candidate;
                }
            }
        } catch (URISyntaxException | SecurityException | NullPointerException | IllegalArgumentException e) {
            // No code location (a custom class loader): the working directory's answer stands.
        }
        return null;
    }
}
