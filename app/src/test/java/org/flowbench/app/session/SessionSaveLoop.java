package org.flowbench.app.session;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves large sessions to one file as fast as it can, printing the number of each save once it is
 * done, until it is killed: the other side of {@link SessionCrashTest}.
 */
public final class SessionSaveLoop {

    private SessionSaveLoop() {
    }

    static Session session(long save) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("save", save);
        // About 200 kilobytes per save, so that a kill lands inside a write more often than not.
        for (int i = 0; i < 8_000; i++) {
            values.put("parameter" + i, save * 100_000 + i);
        }
        return new Session("trajectories", Map.of("trajectories", values));
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        for (long save = 1; ; save++) {
            SessionFiles.write(session(save), file);
            System.out.println(save);
            System.out.flush();
        }
    }
}
