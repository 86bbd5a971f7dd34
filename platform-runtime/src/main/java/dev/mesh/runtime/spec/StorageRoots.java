package dev.mesh.runtime.spec;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** Resolves a storage root as written by a user (a local path or a URI) to the absolute URI zones are built on. */
public final class StorageRoots {
    public static final List<String> SCHEMES = List.of("file");

    private StorageRoots() {}

    /**
     * A local path (relative to {@code baseDir}) or a URI with a supported scheme, made absolute, without a
     * trailing '/'. Throws {@link IllegalArgumentException} with a message that says what is allowed.
     */
    public static URI resolve(String text, Path baseDir) {
        if (!text.contains(":")) {
            return fileUri(baseDir.resolve(text).normalize().toAbsolutePath().toString());
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid URI: " + e.getReason());
        }
        if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme())) {
            throw new IllegalArgumentException("scheme '" + uri.getScheme() + "' is not supported; allowed: "
                    + String.join(", ", SCHEMES) + ", or a local path");
        }
        if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
            throw new IllegalArgumentException("'" + text + "' must be absolute, e.g. file:///var/mesh");
        }
        return fileUri(uri.getPath());
    }

    private static URI fileUri(String absolutePath) {
        String path = absolutePath.length() > 1 && absolutePath.endsWith("/")
                ? absolutePath.substring(0, absolutePath.length() - 1) : absolutePath;
        try {
            return new URI("file", null, path, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
