package dev.mesh.spec.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mesh.spec.model.SpecProblem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One YAML file read into a Jackson tree, remembering the line where each field starts, so that every problem
 * found while binding it names the file, the field path and the line.
 */
public final class YamlDocument {
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(YAML);

    private final String displayName;
    private final Map<String, Integer> lines;
    private final List<SpecProblem> problems;
    private final JsonNode root;
    private final byte[] content;

    private YamlDocument(String displayName, Map<String, Integer> lines, List<SpecProblem> problems, JsonNode root,
            byte[] content) {
        this.displayName = displayName;
        this.lines = lines;
        this.problems = problems;
        this.root = root;
        this.content = content;
    }

    /** Parses a file; a syntax error becomes a problem and an empty document. */
    public static YamlDocument parse(Path file, String displayName, List<SpecProblem> problems) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            problems.add(new SpecProblem(displayName, "", 0, "cannot read the file: " + e.getMessage()));
            return new YamlDocument(displayName, Map.of(), problems, MissingNode.getInstance(), new byte[0]);
        }
        return parse(displayName, content, problems);
    }

    /** A document from content that is not (or not yet) a file: a spec proposed for review. */
    public static YamlDocument parse(String displayName, byte[] content, List<SpecProblem> problems) {
        Map<String, Integer> lines = new HashMap<>();
        String encodingProblem = utf8Problem(content);
        if (encodingProblem != null) {
            problems.add(new SpecProblem(displayName, "", lineOfFirstInvalidByte(content), encodingProblem));
            return new YamlDocument(displayName, lines, problems, MissingNode.getInstance(), content);
        }
        JsonNode root;
        try {
            try (JsonParser parser = YAML.createParser(content)) {
                JsonToken token;
                while ((token = parser.nextToken()) != null) {
                    String pointer = parser.getParsingContext().pathAsPointer().toString();
                    if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                        continue;
                    }
                    lines.putIfAbsent(pointer, parser.getTokenLocation().getLineNr());
                }
            }
            root = MAPPER.readTree(content);
            if (root == null) {
                root = MissingNode.getInstance();
            }
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            int line = location == null ? 0 : location.getLineNr();
            problems.add(new SpecProblem(displayName, "", line, "not valid YAML: " + e.getOriginalMessage()));
            root = MissingNode.getInstance();
        } catch (IOException e) {
            problems.add(new SpecProblem(displayName, "", 0, "cannot read the file: " + e.getMessage()));
            root = MissingNode.getInstance();
        }
        return new YamlDocument(displayName, lines, problems, root, content);
    }

    /** Spec files are UTF-8; the first byte that is not valid in it, described for people, or null. */
    private static String utf8Problem(byte[] content) {
        int offset = firstInvalidUtf8Byte(content);
        return offset < 0 ? null : String.format("not UTF-8 text: byte 0x%02X at line %d is not valid UTF-8; save "
                + "the file as UTF-8", content[offset] & 0xFF, lineOfFirstInvalidByte(content));
    }

    private static int lineOfFirstInvalidByte(byte[] content) {
        int offset = firstInvalidUtf8Byte(content);
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (content[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    private static int firstInvalidUtf8Byte(byte[] content) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content);
        CharBuffer out = CharBuffer.allocate(Math.max(16, content.length));
        CoderResult result = decoder.decode(in, out, true);
        return result.isError() ? in.position() : -1;
    }

    public YamlNode root() {
        return new YamlNode(this, root, "", "");
    }

    public String displayName() {
        return displayName;
    }

    public byte[] content() {
        return content;
    }

    public boolean hasProblems() {
        return problems.stream().anyMatch(p -> p.file().equals(displayName));
    }

    public void problem(String pointer, String path, String message) {
        problems.add(locate(pointer, path, message));
    }

    public SpecProblem locate(String pointer, String path, String message) {
        return new SpecProblem(displayName, path, lineOf(pointer), message);
    }

    /**
     * The line of the field at {@code pointer}, or of its nearest present parent; 0 for the document itself, whose
     * first line says nothing about where a missing top-level field belongs.
     */
    private int lineOf(String pointer) {
        for (String current = pointer; !current.isEmpty(); current = current.substring(0, current.lastIndexOf('/'))) {
            Integer line = lines.get(current);
            if (line != null) {
                return line;
            }
        }
        return 0;
    }
}
