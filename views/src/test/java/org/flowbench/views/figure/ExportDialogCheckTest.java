package org.flowbench.views.figure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The dialog's validation rules, without JavaFX. */
class ExportDialogCheckTest {

    @TempDir
    Path dir;

    @Test
    void validEntriesPass() {
        assertThat(ExportDialog.check(ExportFormat.PNG, "1500", " 300 ", 2.0, dir.resolve("a.png").toString())).isEmpty();
        assertThat(ExportDialog.check(ExportFormat.SVG, "10", "10", 1.0, dir.resolve("no-extension").toString())).isEmpty();
    }

    @Test
    void eachBadEntryIsNamedInOneLine() {
        String file = dir.resolve("a.png").toString();
        assertThat(ExportDialog.check(ExportFormat.PNG, "0", "300", 1.0, file))
                .isEqualTo("width must be a whole number from 1 to 10000");
        assertThat(ExportDialog.check(ExportFormat.PNG, "800", "3e2", 1.0, file))
                .isEqualTo("height must be a whole number from 1 to 10000");
        assertThat(ExportDialog.check(ExportFormat.PNG, "4000", "4000", 4.0, file))
                .isEqualTo("PNG of 16000 x 16000 pixels is too large (at most 64 million pixels); lower the size or the scale");
        assertThat(ExportDialog.check(ExportFormat.PNG, "800", "300", 1.0, "  "))
                .isEqualTo("choose a file to export to");
        assertThat(ExportDialog.check(ExportFormat.PNG, "800", "300", 1.0, dir.resolve("a.svg").toString()))
                .isEqualTo("the file name ends in .svg but the format is PNG");
        Path missing = dir.resolve("missing");
        assertThat(ExportDialog.check(ExportFormat.PDF, "800", "300", 1.0, missing.resolve("a.pdf").toString()))
                .isEqualTo("folder " + missing + " does not exist");
    }

    @Test
    void aFolderIsNotAFile() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("figures.pdf"));
        assertThat(ExportDialog.check(ExportFormat.PDF, "800", "300", 1.0, folder.toString()))
                .isEqualTo(folder + " is a folder");
    }
}
