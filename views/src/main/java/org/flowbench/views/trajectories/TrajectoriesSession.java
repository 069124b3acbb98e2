package org.flowbench.views.trajectories;

import org.flowbench.views.figure.DataBounds;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a saved session keeps of the Trajectories lab beyond its parameters: the panels'
 * checkpoint files (relative to the session's folder), the time and the zoom; and reading it
 * back, where every entry that is missing, malformed or names a missing file is skipped and said.
 */
final class TrajectoriesSession {

    private static final String[] PANELS = {"left", "right"};

    /**
     * What a session read back asks for.
     *
     * @param files    the panels' checkpoints that exist (null where none is named or it is missing)
     * @param time     the time shown, or null
     * @param view     the zoom, or null for the fitted view
     * @param problems one line per entry skipped
     */
    record Restored(Path[] files, Double time, DataBounds view, List<String> problems) {
    }

    private TrajectoriesSession() {
    }

    static Map<String, Object> save(Path[] files, double time, DataBounds view, Path sessionFolder) {
        Map<String, Object> state = new LinkedHashMap<>();
        for (int p = 0; p < PANELS.length; p++) {
            if (files[p] != null) {
                Path file = files[p].toAbsolutePath().normalize();
                boolean relative = sessionFolder != null && file.getRoot().equals(sessionFolder.getRoot());
                state.put(PANELS[p], (relative ? sessionFolder.relativize(file) : file).toString());
            }
        }
        state.put("time", time);
        if (view != null) {
            state.put("view", List.of(view.xMin(), view.xMax(), view.yMin(), view.yMax()));
        }
        return state;
    }

    static Restored read(Map<String, Object> state, Path sessionFolder) {
        List<String> problems = new ArrayList<>();
        Path[] files = new Path[PANELS.length];
        for (int p = 0; p < PANELS.length; p++) {
            files[p] = file(state.get(PANELS[p]), sessionFolder, problems);
        }
        Double time = state.get("time") instanceof Number t && t.doubleValue() >= 0 && t.doubleValue() <= 1 ? t.doubleValue() : null;
        DataBounds view = null;
        if (state.get("view") instanceof List<?> v && v.size() == 4 && v.stream().allMatch(x -> x instanceof Number)) {
            try {
                view = new DataBounds(((Number) v.get(0)).doubleValue(), ((Number) v.get(1)).doubleValue(),
                        ((Number) v.get(2)).doubleValue(), ((Number) v.get(3)).doubleValue());
            } catch (IllegalArgumentException malformed) {
                problems.add("the session's zoom is malformed; kept the fitted view");
            }
        }
        return new Restored(files, time, view, problems);
    }

    private static Path file(Object value, Path sessionFolder, List<String> problems) {
        if (!(value instanceof String name) || name.isBlank()) {
            return null;
        }
        try {
            Path file = sessionFolder == null ? Path.of(name) : sessionFolder.resolve(name);
            if (Files.isRegularFile(file)) {
                return file;
            }
            problems.add("the session's checkpoint " + name + " is missing; that panel keeps its model");
        } catch (InvalidPathException e) {
            problems.add("the session names a checkpoint with an invalid path; that panel keeps its model");
        }
        return null;
    }
}
