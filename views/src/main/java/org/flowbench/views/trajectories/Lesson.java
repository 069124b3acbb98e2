package org.flowbench.views.trajectories;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lab's lesson, read from {@code /assets/lessons/trajectories.md} on the class path (the app
 * packages {@code assets/} there). Sections start with {@code ## Title}; a line
 * {@code setup: key=value, key=value} names the lab parameters its "Set this up" button applies.
 */
public record Lesson(List<Section> sections) {

    public static final String RESOURCE = "/assets/lessons/trajectories.md";

    public record Section(String title, String text, Map<String, String> setup) {
    }

    /** The packaged lesson, or one section saying it is not packaged (views alone, in unit tests). */
    public static Lesson load() {
        try (InputStream in = Lesson.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return new Lesson(List.of(new Section("Lesson not packaged",
                        "The lesson text lives in assets/lessons/trajectories.md and comes with the application.", Map.of())));
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Lesson(List.of(new Section("Lesson unreadable", e.getMessage(), Map.of())));
        }
    }

    static Lesson parse(String markdown) {
        List<Section> sections = new ArrayList<>();
        String title = null;
        StringBuilder text = new StringBuilder();
        Map<String, String> setup = new LinkedHashMap<>();
        for (String line : (markdown + "\n## ").split("\n", -1)) {
            if (line.startsWith("## ")) {
                if (title != null) {
                    sections.add(new Section(title, text.toString().strip().replaceAll("(?<!\n)\n(?!\n)", " "), Map.copyOf(setup)));
                }
                title = line.substring(3).strip();
                text.setLength(0);
                setup.clear();
            } else if (line.startsWith("setup:")) {
                for (String pair : line.substring(6).split(",")) {
                    String[] kv = pair.split("=", 2);
                    if (kv.length == 2) {
                        setup.put(kv[0].strip(), kv[1].strip());
                    }
                }
            } else if (title != null && !line.startsWith("# ")) {
                text.append(line).append('\n');
            }
        }
        return new Lesson(List.copyOf(sections));
    }
}
