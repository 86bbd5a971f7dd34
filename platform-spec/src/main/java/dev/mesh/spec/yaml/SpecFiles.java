package dev.mesh.spec.yaml;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Small helpers shared by the file readers: the apiVersion/kind header, file names and spec hashes. */
public final class SpecFiles {
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private SpecFiles() {}

    static void checkHeader(YamlNode root, String kind) {
        String apiVersion = root.requiredString("apiVersion");
        if (apiVersion != null && !apiVersion.equals(SpecRules.API_VERSION)) {
            root.problem("apiVersion", "'" + apiVersion + "' is not supported; allowed: " + SpecRules.API_VERSION);
        }
        String actual = root.requiredString("kind");
        if (actual != null && !actual.equals(kind)) {
            root.problem("kind", "'" + actual + "' is not allowed here; this file must be of kind " + kind);
        }
    }

    public static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /** SHA-256 of the declaration with keys sorted: comments, order and layout do not change it. */
    static String hash(YamlDocument document) {
        try {
            Object tree = YAML.readValue(document.content(), Object.class);
            byte[] canonical = CANONICAL.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
