package org.flowbench.app.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flowbench.compute.io.OutputFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.flowbench.compute.io.MessageText.abbreviate;

/**
 * Reads and writes session files: versioned JSON.
 *
 * <p>Saving never loses the last good session: the new text goes to a temporary file in the same
 * folder that is forced to disk and then moved over the old one (the folder is synced too), and
 * the session it replaces is kept beside it as {@code NAME.bak}. A JVM killed at any moment leaves
 * the old session or the new one, never a mixture.
 *
 * <p>Opening is defensive (size cap, format and version checked first) and forgiving where it can
 * be: a session from a newer Flowbench, or with fields or values this version does not know, opens
 * with what it can read and lists what it dropped; a session that cannot be read at all opens from
 * its backup, saying so.
 */
public final class SessionFiles {

    public static final String FORMAT = "flowbench-session";
    public static final int VERSION = 1;
    public static final String EXTENSION = ".flowbench.json";
    /** Suffix of the previous session kept beside a saved one. */
    public static final String BACKUP_SUFFIX = ".bak";
    /** Sessions are a few kilobytes; anything far larger is not one. */
    static final long MAX_BYTES = 4L << 20;
    /** Top-level fields this version reads; others are reported as dropped. */
    static final Set<String> KNOWN_FIELDS = Set.of("format", "version", "lab", "labs", "views", "theme");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SessionFiles() {
    }

    /** A session as opened: where it was read from (the file or its backup) and what could not be read, one line each. */
    public record Opened(Session session, Path from, List<String> dropped) {
        public Opened {
            dropped = List.copyOf(dropped);
        }

        /** Whether everything in the file was read. */
        public boolean complete() {
            return dropped.isEmpty();
        }
    }

    /** The backup of a session file: the session the last save replaced. */
    public static Path backupOf(Path file) {
        return file.resolveSibling(file.getFileName() + BACKUP_SUFFIX);
    }

    public static void write(Session session, Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("lab", session.currentLab());
        ObjectNode labs = root.putObject("labs");
        session.labParameters().forEach((lab, values) -> labs.set(lab, JSON.valueToTree(new LinkedHashMap<>(values))));
        if (!session.labViews().isEmpty()) {
            ObjectNode views = root.putObject("views");
            session.labViews().forEach((lab, values) -> views.set(lab, JSON.valueToTree(new LinkedHashMap<>(values))));
        }
        if (session.theme() != null) {
            root.put("theme", session.theme());
        }
        byte[] bytes = JSON.writeValueAsBytes(root);
        OutputFiles.checkWritable(file, true, List.of());
        keepBackup(file);
        writeAtomically(file, bytes);
    }

    /** Copies the session about to be replaced to its backup, unless it is unreadable (then the older backup is worth more). */
    private static void keepBackup(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
            return;
        }
        byte[] previous = Files.readAllBytes(file);
        try {
            parse(file, previous, new ArrayList<>());
        } catch (IOException unreadable) {
            return;
        }
        writeAtomically(backupOf(file), previous);
    }

    /** Reads a session, opening what it can; {@link #open} also says what was dropped. */
    public static Session read(Path file) throws IOException {
        return open(file).session();
    }

    /**
     * Opens a session: what the file holds that this version reads, with a line for each thing
     * dropped; when the file cannot be read at all, its backup, with a line saying so.
     *
     * @throws IOException whose message is one line naming the problem when neither can be read
     */
    public static Opened open(Path file) throws IOException {
        try {
            List<String> dropped = new ArrayList<>();
            Session session = parse(file, readBytes(file), dropped);
            return new Opened(session, file, dropped);
        } catch (IOException unreadable) {
            Path backup = backupOf(file);
            if (!Files.isRegularFile(backup) || !Files.exists(file)) {
                throw unreadable;
            }
            try {
                List<String> dropped = new ArrayList<>();
                dropped.add(unreadable.getMessage() + "; opened the backup " + backup.getFileName() + " (the session saved before it)");
                Session session = parse(backup, readBytes(backup), dropped);
                return new Opened(session, backup, dropped);
            } catch (IOException backupUnreadable) {
                throw unreadable;
            }
        }
    }

    private static byte[] readBytes(Path file) throws IOException {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new IOException(file.getFileName() + " is not a Flowbench session (" + size + " bytes; sessions are small JSON files)");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException("session file not found: " + file);
        }
    }

    /** Reads what it can; problems it can step over go to {@code dropped}, the others are thrown. */
    private static Session parse(Path file, byte[] bytes, List<String> dropped) throws IOException {
        String name = file.getFileName().toString();
        JsonNode root;
        try {
            // strictly UTF-8 (as written), so the parser never guesses another encoding from the bytes
            String text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            root = JSON.readTree(text);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(name + " is not a Flowbench session: not UTF-8 text");
        } catch (JsonProcessingException e) {
            throw new IOException(name + " is not a Flowbench session: not valid JSON (line " + e.getLocation().getLineNr() + ")");
        }
        if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText(null))) {
            throw new IOException(name + " is not a Flowbench session: no \"format\": \"" + FORMAT + "\" field");
        }
        JsonNode version = root.get("version");
        if (version == null || !version.canConvertToInt()) {
            throw new IOException(name + " has no valid session version");
        }
        if (version.asInt() < 1) {
            throw new IOException(name + " has an invalid session version " + version.asInt());
        }
        if (version.asInt() > VERSION) {
            dropped.add(name + " was written by a newer Flowbench (session version " + version.asInt() + "; this version reads "
                    + VERSION + "): opened what this version knows");
        }
        for (Iterator<String> fields = root.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!KNOWN_FIELDS.contains(field)) {
                dropped.add("field '" + abbreviate(field) + "' is not known to this version");
            }
        }
        Map<String, Map<String, Object>> labs = new LinkedHashMap<>();
        JsonNode labsNode = root.path("labs");
        if (!labsNode.isMissingNode() && !labsNode.isObject()) {
            dropped.add("\"labs\" is not an object: every lab's parameters");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = labsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String lab = abbreviate(entry.getKey());
            if (!entry.getValue().isObject()) {
                dropped.add("parameters of lab '" + lab + "' (not an object)");
                continue;
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> f = entry.getValue().fields(); f.hasNext(); ) {
                Map.Entry<String, JsonNode> field = f.next();
                JsonNode v = field.getValue();
                if (v.isIntegralNumber() && v.canConvertToLong()) {
                    values.put(field.getKey(), v.longValue());
                } else if (v.isNumber()) {
                    values.put(field.getKey(), v.doubleValue());
                } else if (v.isBoolean()) {
                    values.put(field.getKey(), v.booleanValue());
                } else if (v.isTextual()) {
                    values.put(field.getKey(), v.textValue());
                } else {
                    dropped.add("parameter '" + abbreviate(field.getKey()) + "' of lab '" + lab + "' (not a number, boolean or string)");
                }
            }
            labs.put(entry.getKey(), values);
        }
        Map<String, Map<String, Object>> views = new LinkedHashMap<>();
        JsonNode viewsNode = root.path("views");
        for (Iterator<Map.Entry<String, JsonNode>> it = viewsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isObject()) {
                dropped.add("view of lab '" + abbreviate(entry.getKey()) + "' (not an object)");
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> values = JSON.convertValue(entry.getValue(), LinkedHashMap.class);
            values.values().removeIf(Objects::isNull);
            views.put(entry.getKey(), values);
        }
        JsonNode themeNode = root.get("theme");
        String theme = null;
        if (themeNode != null) {
            if (themeNode.isTextual() && (themeNode.textValue().equals("light") || themeNode.textValue().equals("dark"))) {
                theme = themeNode.textValue();
            } else {
                dropped.add("theme (not \"light\" or \"dark\")");
            }
        }
        JsonNode lab = root.get("lab");
        String currentLab;
        if (lab != null && lab.isTextual()) {
            currentLab = lab.textValue();
        } else if (!labs.isEmpty()) {
            currentLab = labs.keySet().iterator().next();
            dropped.add(name + " names no current lab: opened on '" + abbreviate(currentLab) + "'");
        } else {
            throw new IOException(name + " names no current lab");
        }
        return new Session(currentLab, labs, views, theme);
    }

    /**
     * Writes {@code bytes} atomically: a temporary file beside {@code file}, forced to disk, moved
     * into place; failures name {@code file} and the reason.
     */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        OutputFiles.write(file, true, List.of(), bytes);
    }
}
