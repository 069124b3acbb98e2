package org.flowbench.views.norm;

import org.flowbench.compute.checkpoint.AtomicFiles;
import org.flowbench.views.lab.DialogService;
import org.flowbench.views.lab.LabContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Saves a page's table as CSV: asks where, writes atomically, says on the status line what happened. */
final class TableExport {

    private TableExport() {
    }

    /** Asks for a file (suggesting {@code baseName}.csv) and writes {@code table} there; cancelling writes nothing. */
    static void save(LabContext context, String baseName, String table) {
        Optional<Path> target = context.dialogs().chooseSaveFile("Export table as CSV", baseName + ".csv",
                List.of(new DialogService.FileType("CSV", "*.csv")));
        if (target.isEmpty()) {
            return;
        }
        try {
            AtomicFiles.write(target.get(), table.getBytes(StandardCharsets.UTF_8));
            context.status().accept("Saved " + target.get().getFileName());
        } catch (IOException e) {
            context.status().accept("Could not write " + target.get() + ": " + e.getMessage());
        }
    }
}
