package org.flowbench.app.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes session files: versioned JSON, written atomically (a temporary file in the
 * same folder, then a move), read defensively (size cap, format and version checked first).
 */
public final class SessionFiles {

    public static final String FORMAT = "flowbench-session";
    public static final int VERSION = 1;
    public static final String EXTENSION = ".flowbench.json";
    /** Sessions are a few kilobytes; anything far larger is not one. */
    static final long MAX_BYTES = 4L << 20;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SessionFiles() {
    }

    public static void write(Session session, Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("lab", session.currentLab());
        ObjectNode labs = root.putObject("labs");
        session.labParameters().forEach((lab, values) -> labs.set(lab, JSON.valueToTree(new LinkedHashMap<>(values))));
        byte[] bytes = JSON.writeValueAsBytes(root);
        writeAtomically(file, bytes);
    }

    /** Reads a session; any problem is an IOException whose message is one line naming it. */
    public static Session read(Path file) throws IOException {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new IOException(file.getFileName() + " is not a Flowbench session (" + size + " bytes; sessions are small JSON files)");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException("session file not found: " + file);
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new IOException(file.getFileName() + " is not a Flowbench session: not valid JSON (line "
                    + e.getLocation().getLineNr() + ")");
        }
        if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText(null))) {
            throw new IOException(file.getFileName() + " is not a Flowbench session: no \"format\": \"" + FORMAT + "\" field");
        }
        JsonNode version = root.get("version");
        if (version == null || !version.canConvertToInt()) {
            throw new IOException(file.getFileName() + " has no valid session version");
        }
        if (version.asInt() > VERSION) {
            throw new IOException(file.getFileName() + " was written by a newer Flowbench (session version "
                    + version.asInt() + "; this version reads up to " + VERSION + ")");
        }
        if (version.asInt() < 1) {
            throw new IOException(file.getFileName() + " has an invalid session version " + version.asInt());
        }
        JsonNode lab = root.get("lab");
        if (lab == null || !lab.isTextual()) {
            throw new IOException(file.getFileName() + " names no current lab");
        }
        Map<String, Map<String, Object>> labs = new LinkedHashMap<>();
        JsonNode labsNode = root.path("labs");
        if (!labsNode.isMissingNode() && !labsNode.isObject()) {
            throw new IOException(file.getFileName() + ": \"labs\" must be an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = labsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isObject()) {
                throw new IOException(file.getFileName() + ": parameters of lab '" + entry.getKey() + "' must be an object");
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> f = entry.getValue().fields(); f.hasNext(); ) {
                Map.Entry<String, JsonNode> field = f.next();
                JsonNode v = field.getValue();
                if (v.isIntegralNumber()) {
                    values.put(field.getKey(), v.longValue());
                } else if (v.isNumber()) {
                    values.put(field.getKey(), v.doubleValue());
                } else if (v.isBoolean()) {
                    values.put(field.getKey(), v.booleanValue());
                } else if (v.isTextual()) {
                    values.put(field.getKey(), v.textValue());
                } else {
                    throw new IOException(file.getFileName() + ": parameter '" + field.getKey() + "' of lab '"
                            + entry.getKey() + "' is not a number, boolean or string");
                }
            }
            labs.put(entry.getKey(), values);
        }
        return new Session(lab.textValue(), labs);
    }

    /** Writes {@code bytes} to a temporary file beside {@code file}, then moves it into place. */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path target = file.toAbsolutePath();
        Path folder = target.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new IOException("cannot write " + file + ": folder " + folder + " does not exist");
        }
        Path temp;
        try {
            temp = Files.createTempFile(folder, "." + target.getFileName(), ".tmp");
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": folder is not writable");
        }
        try {
            Files.write(temp, bytes);
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
