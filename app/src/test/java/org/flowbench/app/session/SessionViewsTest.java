package org.flowbench.app.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A session keeps what each lab shows beyond its parameters, and the theme. */
class SessionViewsTest {

    @TempDir
    Path dir;

    @Test
    void viewsAndThemeRoundTrip() throws Exception {
        Session session = new Session("trajectories", Map.of("trajectories", Map.of("steps", 4L)),
                Map.of("trajectories", Map.of("left", "a.safetensors", "time", 0.5, "view", List.of(-1.0, 1.0, -2.0, 2.0))), "dark");
        Path file = dir.resolve("s.flowbench.json");
        SessionFiles.write(session, file);
        SessionFiles.Opened opened = SessionFiles.open(file);
        assertThat(opened.dropped()).isEmpty();
        assertThat(opened.session()).isEqualTo(session);
    }

    @Test
    void aBadThemeOrViewIsDroppedAndSaid() throws Exception {
        Path file = dir.resolve("bad.flowbench.json");
        Files.writeString(file, "{\"format\": \"flowbench-session\", \"version\": 1, \"lab\": \"trajectories\", \"labs\": {},"
                + " \"views\": {\"trajectories\": 3}, \"theme\": \"purple\"}");
        SessionFiles.Opened opened = SessionFiles.open(file);
        assertThat(opened.session().theme()).isNull();
        assertThat(opened.session().labViews()).isEmpty();
        assertThat(opened.dropped()).anySatisfy(d -> assertThat(d).contains("theme"))
                .anySatisfy(d -> assertThat(d).contains("view of lab 'trajectories'"));
    }
}
