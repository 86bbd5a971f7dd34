package dev.mesh.spec.validation;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** Resolves a storage root as written by a user (a local path or a URI) to the absolute URI zones are built on. */
public final class StorageRoots {
    private static final java.util.regex.Pattern BUCKET = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public static final List<String> SCHEMES = List.of("file", "s3a");

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
        if ("s3a".equals(uri.getScheme())) {
            return s3aUri(text, uri);
        }
        if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
            throw new IllegalArgumentException("'" + text + "' must be absolute, e.g. file:///var/mesh");
        }
        return fileUri(uri.getPath());
    }

    /** s3a://bucket[/prefix], with a bucket name S3 accepts and no trailing '/'. */
    private static URI s3aUri(String text, URI uri) {
        String bucket = uri.getHost();
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("'" + text + "' needs a bucket name of 3 to 63 lower-case letters, "
                    + "digits, '-' and '.': s3a://BUCKET/PREFIX");
        }
        if (uri.getUserInfo() != null || uri.getQuery() != null) {
            throw new IllegalArgumentException("'" + text + "' must not carry credentials or a query; credentials "
                    + "come from environment variables named under storage.s3.credentials");
        }
        String prefix = uri.getPath() == null ? "" : uri.getPath();
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (prefix.contains("//") || prefix.contains("/../") || prefix.endsWith("/..")) {
            throw new IllegalArgumentException("'" + text + "' has an empty or '..' segment");
        }
        return URI.create("s3a://" + bucket + prefix);
    }

    public static boolean isBucketName(String name) {
        return BUCKET.matcher(name).matches();
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
