package dev.mesh.runtime.spec;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Binds {@code platform.yaml} to a {@link PlatformSpec}, reporting every problem it finds inside the file. */
final class PlatformFileReader {
    private static final Set<String> TOP = YamlNode.fields("apiVersion", "kind", "name", "storage", "spark", "domains");
    private static final Set<String> STORAGE = YamlNode.fields("root");
    private static final Set<String> SPARK = YamlNode.fields("master", "conf");

    private PlatformFileReader() {}

    static Optional<PlatformSpec> read(YamlDocument document, Path file, Optional<URI> rootOverride) {
        YamlNode root = document.root();
        if (!root.expectMap(TOP)) {
            if (root.isMissing() && !document.hasProblems()) {
                root.problem("the file is empty; a platform needs apiVersion, kind, name and storage.root");
            }
            return Optional.empty();
        }
        SpecFiles.checkHeader(root, "Platform");
        String name = root.requiredString("name");
        Path baseDir = file.toAbsolutePath().getParent();

        YamlNode storage = root.get("storage");
        URI storageRoot = null;
        if (rootOverride.isPresent()) {
            storageRoot = rootOverride.get();
        } else if (storage.isMissing()) {
            storage.problem("is required: storage.root, a local folder, file:///... or s3a://bucket/prefix");
        } else if (storage.expectMap(STORAGE)) {
            String text = storage.requiredString("root");
            if (text != null) {
                storageRoot = resolveRoot(storage, text, baseDir);
            }
        }

        YamlNode spark = root.get("spark");
        String master = "local[*]";
        Map<String, String> conf = Map.of();
        if (spark.expectMap(SPARK)) {
            master = spark.optionalString("master").orElse(master);
            conf = spark.stringMap("conf");
            conf.keySet().stream().filter(key -> !key.startsWith("spark."))
                    .forEach(key -> spark.get("conf").problem(key, "'" + key
                            + "' is not a Spark setting; Spark settings start with 'spark.'"));
        }
        String domains = root.optionalString("domains").orElse("domains");
        SpecRules.checkRelativePath(root, "domains", domains);
        Path domainsDir = baseDir.resolve(domains).normalize();

        if (document.hasProblems() || name == null || storageRoot == null) {
            return Optional.empty();
        }
        return Optional.of(new PlatformSpec(name, storageRoot, master, conf, domainsDir, file));
    }

    private static URI resolveRoot(YamlNode storage, String text, Path baseDir) {
        try {
            return StorageRoots.resolve(text, baseDir);
        } catch (IllegalArgumentException e) {
            storage.problem("root", e.getMessage());
            return null;
        }
    }
}
