package dev.mesh.spec.yaml;

import dev.mesh.spec.model.AlertSpec;
import dev.mesh.spec.model.LineageSpec;
import dev.mesh.spec.model.PlatformSpec;
import dev.mesh.spec.model.S3Spec;
import dev.mesh.spec.model.ServerSpec;
import dev.mesh.spec.model.StorageSpec;
import dev.mesh.spec.validation.StorageRoots;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Binds {@code platform.yaml} to a {@link PlatformSpec}, reporting every problem it finds inside the file. */
public final class PlatformFileReader {
    static final Set<String> TOP = YamlNode.fields("apiVersion", "kind", "name", "storage", "spark", "domains",
            "alerts", "governance", "lineage", "server");
    static final Set<String> SERVER = YamlNode.fields("admins", "oidc", "concurrentRuns",
            "queuedPerPrincipal", "maxRequestBytes", "shutdownGrace");
    static final Set<String> OIDC = YamlNode.fields("issuer", "audience", "jwks", "principalClaim",
            "groupsClaim", "portal");
    static final Set<String> PORTAL_CLIENT = YamlNode.fields("clientId", "authorizationEndpoint",
            "tokenEndpoint");
    static final Set<String> LINEAGE = YamlNode.fields("namespace", "transports");
    static final Set<String> TRANSPORT = YamlNode.fields("type", "path", "url", "endpoint", "apiKeyEnv",
            "timeout");
    static final Set<String> ALERT = YamlNode.fields("type", "url", "urlEnv", "timeout", "retries");
    static final Set<String> STORAGE = YamlNode.fields("root", "zones", "bucketPattern", "s3");
    static final Set<String> S3 = YamlNode.fields("endpoint", "region", "pathStyleAccess", "credentials",
            "domainCredentials", "timeout");
    static final Set<String> CREDENTIALS = YamlNode.fields("accessKeyEnv", "secretKeyEnv", "provider");
    private static final Set<String> INLINE_SECRETS = Set.of("accessKey", "secretKey", "access_key", "secret_key",
            "secret", "password", "key", "sessionToken", "token");
    static final Set<String> SPARK = YamlNode.fields("master", "conf");

    private PlatformFileReader() {}

    public static Optional<PlatformSpec> read(YamlDocument document, Path file, Optional<URI> rootOverride) {
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

        StorageSpec storage = readStorage(root.get("storage"), baseDir, rootOverride);

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
        Path domainsDir = baseDir.resolve(root.optionalString("domains").orElse("domains")).normalize();
        java.util.List<AlertSpec> alerts = new java.util.ArrayList<>();
        for (YamlNode node : root.list("alerts", false)) {
            readAlert(node).ifPresent(alerts::add);
        }

        Optional<Path> governance = root.optionalString("governance").map(path -> baseDir.resolve(path).normalize());

        Optional<LineageSpec> lineage = readLineage(root.get("lineage"), name, baseDir);
        ServerSpec server = readServer(root.get("server"), baseDir);

        if (document.hasProblems() || name == null || storage == null) {
            return Optional.empty();
        }
        return Optional.of(new PlatformSpec(name, storage, master, conf, domainsDir, alerts, governance, lineage,
                server, file));
    }

    private static ServerSpec readServer(YamlNode node, Path baseDir) {
        ServerSpec defaults = ServerSpec.DEFAULT;
        if (node.isMissing() || !node.expectMap(SERVER)) {
            return defaults;
        }
        List<String> admins = node.stringList("admins", false);
        for (int i = 0; i < admins.size(); i++) {
            SpecRules.checkPrincipal(node.get("admins"), "[" + i + "]", admins.get(i));
        }
        Optional<ServerSpec.Oidc> oidc = Optional.empty();
        YamlNode oidcNode = node.get("oidc");
        if (!oidcNode.isMissing() && oidcNode.expectMap(OIDC)) {
            String issuer = oidcNode.requiredString("issuer");
            String audience = oidcNode.requiredString("audience");
            String jwks = oidcNode.requiredString("jwks");
            if (jwks != null && !jwks.startsWith("https://") && !jwks.startsWith("http://")) {
                jwks = baseDir.resolve(jwks).normalize().toString();
            }
            Optional<ServerSpec.PortalClient> portal = Optional.empty();
            YamlNode portalNode = oidcNode.get("portal");
            if (!portalNode.isMissing() && portalNode.expectMap(PORTAL_CLIENT)) {
                String clientId = portalNode.requiredString("clientId");
                String authorize = endpoint(portalNode, "authorizationEndpoint");
                String token = endpoint(portalNode, "tokenEndpoint");
                if (clientId != null && authorize != null && token != null) {
                    portal = Optional.of(new ServerSpec.PortalClient(clientId, authorize, token));
                }
            }
            if (issuer != null && audience != null && jwks != null) {
                oidc = Optional.of(new ServerSpec.Oidc(issuer, audience, jwks,
                        oidcNode.optionalString("principalClaim").orElse("sub"),
                        oidcNode.optionalString("groupsClaim").orElse("groups"), portal));
            }
        }
        int concurrent = (int) bounded(node, "concurrentRuns", defaults.concurrentRuns(), 1, 64);
        int queued = (int) bounded(node, "queuedPerPrincipal", defaults.queuedPerPrincipal(), 1, 10_000);
        long maxBytes = bounded(node, "maxRequestBytes", defaults.maxRequestBytes(), 1024, 64L * 1024 * 1024);
        java.time.Duration grace = node.optionalDuration("shutdownGrace").orElse(defaults.shutdownGrace());
        return new ServerSpec(admins, oidc, concurrent, queued, maxBytes, grace);
    }

    /** An issuer endpoint the portal calls: an http(s) URL, required. */
    private static String endpoint(YamlNode node, String field) {
        String url = node.requiredString(field);
        if (url != null && !url.startsWith("https://") && !url.startsWith("http://")) {
            node.problem(field, "'" + url + "' is not an http(s) URL; copy it from the issuer's "
                    + ".well-known/openid-configuration");
            return null;
        }
        return url;
    }

    private static long bounded(YamlNode node, String field, long fallback, long min, long max) {
        long value = node.optionalLong(field).orElse(fallback);
        if (value < min || value > max) {
            node.problem(field, value + " is not between " + min + " and " + max);
            return fallback;
        }
        return value;
    }

    private static Optional<LineageSpec> readLineage(YamlNode node, String platformName, Path baseDir) {
        if (node.isMissing() || !node.expectMap(LINEAGE)) {
            return Optional.empty();
        }
        String namespace = node.optionalString("namespace").orElse(platformName == null ? "mesh" : platformName);
        java.util.List<LineageSpec.Transport> transports = new java.util.ArrayList<>();
        java.util.List<YamlNode> nodes = node.list("transports", true);
        if (nodes.isEmpty() && node.has("transports")) {
            node.problem("transports", "needs at least one transport: console, file or http");
        }
        for (YamlNode transport : nodes) {
            readTransport(transport, baseDir).ifPresent(transports::add);
        }
        return Optional.of(new LineageSpec(namespace, transports));
    }

    private static Optional<LineageSpec.Transport> readTransport(YamlNode node, Path baseDir) {
        if (!node.expectMap(TRANSPORT)) {
            return Optional.empty();
        }
        Optional<LineageSpec.TransportType> type = node.choice("type", YamlNode.names(LineageSpec.TransportType.class),
                "a lineage transport", true);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> path = node.optionalString("path");
        Optional<String> url = node.optionalString("url");
        Optional<String> apiKeyEnv = node.optionalString("apiKeyEnv");
        apiKeyEnv.ifPresent(env -> SpecRules.checkEnvName(node, "apiKeyEnv", env));
        Optional<java.time.Duration> timeout = node.optionalDuration("timeout");
        if (node.has("timeout") && timeout.isEmpty()) {
            return Optional.empty();
        }
        switch (type.get()) {
            case FILE -> {
                if (path.isEmpty()) {
                    node.problem("a file transport needs 'path': the file events are appended to, one JSON per line");
                    return Optional.empty();
                }
                for (String field : java.util.List.of("url", "endpoint", "apiKeyEnv", "timeout")) {
                    if (node.has(field)) {
                        node.problem(field, "is used only by the http transport");
                    }
                }
            }
            case HTTP -> {
                if (url.isEmpty() || !url.get().startsWith("http://") && !url.get().startsWith("https://")) {
                    node.problem(url.isEmpty() ? "an http transport needs 'url', e.g. http://localhost:5000"
                            : "url: must be an http:// or https:// URL without a path, e.g. http://localhost:5000");
                    return Optional.empty();
                }
                if (url.get().contains("@")) {
                    node.problem("url", "must not carry credentials; name the variable holding the API key with "
                            + "apiKeyEnv");
                    return Optional.empty();
                }
                if (path.isPresent()) {
                    node.problem("path", "is used only by the file transport");
                }
            }
            case CONSOLE -> {
                for (String field : java.util.List.of("path", "url", "endpoint", "apiKeyEnv", "timeout")) {
                    if (node.has(field)) {
                        node.problem(field, "is not used by the console transport");
                    }
                }
            }
        }
        Optional<String> endpoint = node.optionalString("endpoint");
        if (endpoint.isPresent() && !endpoint.get().startsWith("/")) {
            node.problem("endpoint", "'" + endpoint.get() + "' must start with /, e.g. " + LineageSpec.DEFAULT_ENDPOINT);
        }
        return Optional.of(new LineageSpec.Transport(type.get(), path.map(p -> baseDir.resolve(p).normalize()), url,
                endpoint.orElse(null), apiKeyEnv, timeout.orElse(null)));
    }

    private static Optional<AlertSpec> readAlert(YamlNode node) {
        if (!node.isMap()) {
            node.expectMap(Set.of());
            return Optional.empty();
        }
        if (!node.expectMap(ALERT)) {
            return Optional.empty();
        }
        Optional<AlertSpec.Type> type = node.choice("type", YamlNode.names(AlertSpec.Type.class), "an alert type",
                true);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        if (type.get() == AlertSpec.Type.LOG) {
            return Optional.of(AlertSpec.LOG);
        }
        Optional<String> url = node.optionalString("url");
        Optional<String> urlEnv = node.optionalString("urlEnv");
        if (url.isPresent() == urlEnv.isPresent()) {
            node.problem("a webhook needs exactly one of 'url' or 'urlEnv' (the environment variable holding a URL "
                    + "that carries a token)");
            return Optional.empty();
        }
        if (url.isPresent() && !url.get().startsWith("http://") && !url.get().startsWith("https://")) {
            node.problem("url", "must be an http:// or https:// URL");
            return Optional.empty();
        }
        Optional<java.time.Duration> timeout = node.optionalDuration("timeout");
        if (node.has("timeout") && timeout.isEmpty()) {
            return Optional.empty();
        }
        long retries = node.optionalLong("retries").orElse(2L);
        if (retries < 0 || retries > 10) {
            node.problem("retries", retries + " is not between 0 and 10");
            return Optional.empty();
        }
        return Optional.of(new AlertSpec(type.get(), url.orElse(null), urlEnv.orElse(null),
                timeout.orElse(java.time.Duration.ofSeconds(5)), (int) retries));
    }

    private static StorageSpec readStorage(YamlNode node, Path baseDir, Optional<URI> rootOverride) {
        if (node.isMissing() && rootOverride.isEmpty()) {
            node.problem("is required: storage.root, a local folder, file:///... or s3a://bucket/prefix");
            return null;
        }
        if (!node.isMissing() && !node.expectMap(STORAGE)) {
            return null;
        }
        URI root = rootOverride.orElse(null);
        if (root == null) {
            String text = node.requiredString("root");
            root = text == null ? null : resolveRoot(node, text, baseDir);
        }
        StorageSpec.ZoneMode zones = node.choice("zones", YamlNode.names(StorageSpec.ZoneMode.class), "a zone layout",
                false).orElse(StorageSpec.ZoneMode.PREFIX);
        String bucketPattern = node.optionalString("bucketPattern").orElse("");
        boolean s3 = root != null && "s3a".equals(root.getScheme());
        if (zones == StorageSpec.ZoneMode.BUCKET) {
            if (root != null && !s3) {
                node.problem("zones", "bucket needs an s3a:// root; a local root lays zones out as folders (prefix)");
            } else if (!bucketPattern.contains("{domain}")
                    || !StorageRoots.isBucketName(bucketPattern.replace("{domain}", "domain"))) {
                node.problem("bucketPattern", "'" + bucketPattern + "' must contain {domain} and make valid bucket "
                        + "names, e.g. mesh-{domain}");
            }
        } else if (!bucketPattern.isEmpty()) {
            node.problem("bucketPattern", "is used only with zones: bucket");
        }
        YamlNode s3Node = node.get("s3");
        Optional<S3Spec> s3Spec = Optional.empty();
        if (!s3Node.isMissing()) {
            if (root != null && !s3) {
                s3Node.problem("is used only with an s3a:// root");
            } else {
                s3Spec = readS3(s3Node);
            }
        } else if (s3) {
            s3Spec = Optional.of(new S3Spec(Optional.empty(), "us-east-1", false, S3Spec.CredentialsSpec.DEFAULT_CHAIN,
                    java.util.Map.of(), S3Spec.DEFAULT_TIMEOUT));
        }
        if (root == null || (s3 && s3Spec.isEmpty())) {
            return null;
        }
        return new StorageSpec(root, zones, bucketPattern, s3Spec);
    }

    private static Optional<S3Spec> readS3(YamlNode node) {
        if (!node.expectMap(S3)) {
            return Optional.empty();
        }
        Optional<String> endpoint = node.optionalString("endpoint");
        endpoint.ifPresent(e -> {
            if (e.contains("@")) {
                node.problem("endpoint", "must not carry credentials; name environment variables under credentials");
            } else if (!e.startsWith("http://") && !e.startsWith("https://")) {
                node.problem("endpoint", "'" + e + "' must be an http:// or https:// URL, e.g. http://127.0.0.1:9000");
            }
        });
        String region = node.optionalString("region").orElse("us-east-1");
        boolean pathStyle = node.optionalBoolean("pathStyleAccess", false);
        S3Spec.CredentialsSpec credentials = readCredentials(node.get("credentials"));
        java.util.Map<String, S3Spec.CredentialsSpec> domains = new java.util.LinkedHashMap<>();
        YamlNode domainNode = node.get("domainCredentials");
        if (!domainNode.isMissing() && domainNode.expectMap(domainNodeKeys(domainNode))) {
            for (String domain : domainNodeKeys(domainNode)) {
                S3Spec.CredentialsSpec spec = readCredentials(domainNode.get(domain));
                if (spec != null) {
                    domains.put(domain, spec);
                }
            }
        }
        if (credentials == null) {
            return Optional.empty();
        }
        Optional<java.time.Duration> timeout = node.optionalDuration("timeout");
        if (timeout.isPresent() && timeout.get().compareTo(java.time.Duration.ofSeconds(4)) < 0) {
            node.problem("timeout", timeout.get() + " is too short for a request to a store; use at least PT4S");
        }
        return Optional.of(new S3Spec(endpoint, region, pathStyle, credentials, domains,
                timeout.orElse(S3Spec.DEFAULT_TIMEOUT)));
    }

    private static java.util.List<String> domainNodeKeys(YamlNode node) {
        return node.fieldNames();
    }

    /** Credentials by reference only; a value written into the spec is an error that never repeats the value. */
    private static S3Spec.CredentialsSpec readCredentials(YamlNode node) {
        if (node.isMissing()) {
            return S3Spec.CredentialsSpec.DEFAULT_CHAIN;
        }
        boolean inline = false;
        for (String field : node.fieldNames()) {
            if (INLINE_SECRETS.contains(field)) {
                inline = true;
                node.get(field).problem("credentials are never written in specs; put them in environment "
                        + "variables and name those with accessKeyEnv and secretKeyEnv (or use provider: default)");
            }
        }
        if (!node.expectMap(CREDENTIALS, INLINE_SECRETS) || inline) {
            return null;
        }
        Optional<String> provider = node.optionalString("provider");
        if (provider.isPresent()) {
            if (!provider.get().equals("default")) {
                node.problem("provider", "'" + provider.get() + "' is not a credentials provider; allowed: default "
                        + "(the AWS default provider chain)");
            }
            if (node.has("accessKeyEnv") || node.has("secretKeyEnv")) {
                node.problem("provider", "use either provider: default or accessKeyEnv and secretKeyEnv, not both");
            }
            return S3Spec.CredentialsSpec.DEFAULT_CHAIN;
        }
        String accessKeyEnv = node.requiredString("accessKeyEnv");
        String secretKeyEnv = node.requiredString("secretKeyEnv");
        for (String field : java.util.List.of("accessKeyEnv", "secretKeyEnv")) {
            String name = field.equals("accessKeyEnv") ? accessKeyEnv : secretKeyEnv;
            SpecRules.checkEnvName(node, field, name);
        }
        if (accessKeyEnv == null || secretKeyEnv == null) {
            return null;
        }
        return S3Spec.CredentialsSpec.fromEnvironment(accessKeyEnv, secretKeyEnv);
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
