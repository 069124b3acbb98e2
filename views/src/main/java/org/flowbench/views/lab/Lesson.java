package org.flowbench.views.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A lab's lesson, read from {@code /assets/lessons/<labId>.md} on the class path (the app packages
 * {@code assets/} there). Sections start with {@code ## Title}; blank lines separate paragraphs;
 * a line {@code setup: key=value, key=value} names the lab parameters the section's "Set this up"
 * button applies.
 */
public record Lesson(List<Section> sections) {

    private static final Pattern LAB_ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    /**
     * One section: its title, its paragraphs (each one line of text, to be wrapped by whoever
     * shows it) and the parameter values of its set-up button (empty for none), in file order.
     */
    public record Section(String title, List<String> paragraphs, Map<String, String> setup) {
        public Section {
            paragraphs = List.copyOf(paragraphs);
            setup = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(setup));
        }

        /** The paragraphs joined by blank lines. */
        public String text() {
            return String.join("\n\n", paragraphs);
        }
    }

    public Lesson {
        sections = List.copyOf(sections);
    }

    /** Where the lesson of {@code labId} lives on the class path. */
    public static String resource(String labId) {
        if (labId == null || !LAB_ID.matcher(labId).matches()) {
            throw new IllegalArgumentException("lab id must be lower-case words joined by hyphens (got '" + labId + "')");
        }
        return "/assets/lessons/" + labId + ".md";
    }

    /** The packaged lesson of {@code labId}, or one section saying it is not packaged (views alone, in unit tests). */
    public static Lesson load(String labId) {
        String resource = resource(labId);
        try (InputStream in = Lesson.class.getResourceAsStream(resource)) {
            if (in == null) {
                return new Lesson(List.of(new Section("Lesson not packaged",
                        List.of("The lesson text lives in assets" + resource.substring("/assets".length())
                                + " and comes with the application."), Map.of())));
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Lesson(List.of(new Section("Lesson unreadable", List.of(resource + ": " + e.getMessage()), Map.of())));
        }
    }

    /** Reads the lesson markup; text before the first {@code ##} and {@code #} headings are skipped. */
    public static Lesson parse(String markdown) {
        List<Section> sections = new ArrayList<>();
        String title = null;
        List<String> paragraphs = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        Map<String, String> setup = new LinkedHashMap<>();
        for (String raw : (markdown.replace("\r\n", "\n") + "\n## ").split("\n", -1)) {
            String line = raw.strip();
            if (raw.startsWith("## ") || line.isEmpty() || line.startsWith("setup:")) {
                if (paragraph.length() > 0) {
                    paragraphs.add(paragraph.toString());
                    paragraph.setLength(0);
                }
            }
            if (raw.startsWith("## ")) {
                if (title != null) {
                    sections.add(new Section(title, paragraphs, setup));
                }
                title = raw.substring(3).strip();
                paragraphs.clear();
                setup.clear();
            } else if (line.startsWith("setup:")) {
                for (String pair : line.substring(6).split(",")) {
                    String[] kv = pair.split("=", 2);
                    if (kv.length == 2 && !kv[0].isBlank()) {
                        setup.put(kv[0].strip(), kv[1].strip());
                    }
                }
            } else if (title != null && !line.isEmpty() && !raw.startsWith("# ")) {
                paragraph.append(paragraph.length() == 0 ? "" : " ").append(line);
            }
        }
        return new Lesson(sections);
    }
}
