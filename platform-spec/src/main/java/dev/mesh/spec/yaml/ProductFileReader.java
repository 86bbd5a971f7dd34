package dev.mesh.spec.yaml;

import dev.mesh.spec.model.AccessSpec;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.InputSpec;
import dev.mesh.spec.model.KeptMajor;
import dev.mesh.spec.model.OutputContract;
import dev.mesh.spec.model.OutputSpec;
import dev.mesh.spec.model.OutputSpec.WriteMode;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.model.QualitySpec;
import dev.mesh.spec.model.SlaSpec;
import dev.mesh.spec.model.TransformSpec;
import dev.mesh.spec.spi.SqlSyntax;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binds one product file to a {@link ProductSpec}, reporting every problem it finds inside the file. Each block has
 * its own binder: {@link InputFields}, {@link TransformFields}, {@link SchemaFields}, {@link QualityFields} and
 * {@link CheckFields}.
 */
public final class ProductFileReader {
    static final Set<String> TOP = YamlNode.fields(
            "apiVersion", "kind", "name", "domain", "version", "owner", "description", "inputs", "transform",
            "output", "quality", "sla", "access", "tags", "versions");
    static final Set<String> OUTPUT = YamlNode.fields("mode", "keys", "partitionBy", "schema");
    static final Set<String> SLA = YamlNode.fields("freshness", "maxDuration", "minQualityScore",
            "minSuccessRate", "window", "freshnessColumn");
    static final Set<String> ACCESS = YamlNode.fields("visibility", "consumers", "republish");
    static final Set<String> KEPT = YamlNode.fields("until", "columns");

    private static final java.util.regex.Pattern TAG = java.util.regex.Pattern.compile("[a-z][a-z0-9_-]{0,62}");

    private ProductFileReader() {}

    /** The product, or empty when the file has problems (all of them reported). */
    public static Optional<ProductSpec> read(YamlDocument document, String folderDomain, Path file,
            SpecReaders readers) {
        SqlSyntax sqlSyntax = readers.sqlSyntax();
        YamlNode root = document.root();
        if (!root.expectMap(TOP)) {
            if (root.isMissing() && !document.hasProblems()) {
                root.problem("the file is empty; a product needs apiVersion, kind, name, domain, version, owner, "
                        + "inputs, transform and output");
            }
            return Optional.empty();
        }
        SpecFiles.checkHeader(root, "DataProduct");
        String name = root.requiredString("name");
        SpecRules.checkName(root, "name", name);
        String expectedName = SpecFiles.baseName(file);
        if (name != null && !name.equals(expectedName)) {
            root.problem("name", "'" + name + "' does not match the file name '" + file.getFileName()
                    + "'; name the file after the product (" + name + ".yaml)");
        }
        String domain = root.requiredString("domain");
        if (domain != null && !domain.equals(folderDomain)) {
            root.problem("domain", "'" + domain + "' does not match the domain folder '" + folderDomain
                    + "'; a product lives in its own domain's products/ folder");
        }
        String version = root.requiredString("version");
        SpecRules.checkSemver(root, "version", version);
        String owner = root.requiredString("owner");
        SpecRules.checkEmail(root, "owner", owner);
        String description = root.optionalString("description").orElse("");
        List<String> tags = root.stringList("tags", false);
        for (int i = 0; i < tags.size(); i++) {
            if (!TAG.matcher(tags.get(i)).matches()) {
                root.get("tags").element(i).problem("'" + tags.get(i) + "' is not a tag: lower case letters, digits, "
                        + "- and _, starting with a letter (select them with mesh run tag:NAME)");
            }
        }

        OutputSpec output = readOutput(root.get("output"));
        Set<String> inputNames = new HashSet<>();
        List<InputSpec> inputs = InputFields.read(root, inputNames, output);
        TransformSpec transform = TransformFields.read(root.get("transform"), inputs, inputNames, output, readers);
        QualitySpec quality = QualityFields.read(root.get("quality"), output, sqlSyntax);
        SlaSpec sla = readSla(root.get("sla"), output);
        AccessSpec access = readAccess(root.get("access"));
        List<KeptMajor> kept = readVersions(root.get("versions"), version, sqlSyntax);

        // a product whose file has problems in some fields is still read when its name, place, output and
        // transform are, so that what other files say about it (and it about them) is checked in the same pass
        if (name == null || !name.equals(expectedName) || domain == null || !domain.equals(folderDomain)
                || version == null || owner == null || output == null || transform == null) {
            return Optional.empty();
        }
        return Optional.of(new ProductSpec(new ProductId(domain, name), version, owner, description, inputs,
                transform, output, quality, sla, access, file, SpecFiles.hash(document), tags, kept));
    }

    /**
     * {@code versions}: the older majors kept beside the current one, by major: {@code 1: { until: 2027-03-01,
     * columns: { status: state } }}. Each is older than the current major and has the end of its window.
     */
    private static List<KeptMajor> readVersions(YamlNode node, String version, SqlSyntax sqlSyntax) {
        List<KeptMajor> kept = new ArrayList<>();
        if (node.isMissing()) {
            return kept;
        }
        if (!node.isMap()) {
            node.problem("expected a map of older major versions kept beside this one, e.g. { 1: { until: "
                    + "2027-03-01 } }");
            return kept;
        }
        int current = version == null || !version.matches("\\d+\\..*") ? Integer.MAX_VALUE
                : OutputContract.major(version);
        for (String key : node.fieldNames()) {
            YamlNode entry = node.get(key);
            if (!key.matches("[1-9][0-9]{0,5}") || Integer.parseInt(key) >= current) {
                entry.problem("'" + key + "' is not an older major version: keep a major below the current one ("
                        + (current == Integer.MAX_VALUE ? "see version" : current) + "), e.g. 1");
                continue;
            }
            if (!entry.expectMap(KEPT)) {
                if (entry.isMissing()) {
                    entry.problem("is required: { until: YYYY-MM-DD }, the end of the deprecation window");
                }
                continue;
            }
            String until = entry.requiredString("until");
            LocalDate end = null;
            if (until != null) {
                try {
                    end = LocalDate.parse(until);
                } catch (DateTimeParseException e) {
                    entry.problem("until", "'" + until + "' is not a date: YYYY-MM-DD, the last day consumers may "
                            + "read major " + key);
                }
            }
            Map<String, String> columns = entry.stringMap("columns");
            columns.forEach((column, expression) -> {
                if (expression.isBlank()) {
                    entry.get("columns").problem(column, "is empty: a SQL expression over the current output's "
                            + "columns that makes major " + key + "'s column " + column);
                } else {
                    // an expression over one row, as a rule's: no subquery, no Java method called by name
                    sqlSyntax.expressionProblems(expression).forEach(problem -> entry.get("columns")
                            .problem(column, problem));
                }
            });
            if (end != null) {
                kept.add(new KeptMajor(Integer.parseInt(key), end, columns));
            }
        }
        return kept;
    }

    private static OutputSpec readOutput(YamlNode node) {
        if (node.isMissing()) {
            node.problem("is required: the output port's mode and schema");
            return null;
        }
        if (!node.expectMap(OUTPUT)) {
            return null;
        }
        Optional<WriteMode> mode = node.choice("mode", YamlNode.names(WriteMode.class), "a write mode", true);
        List<ColumnSpec> schema = SchemaFields.read(node, true);
        List<String> columns = schema.stream().map(ColumnSpec::name).toList();
        List<String> keys = node.stringList("keys", false);
        SchemaFields.checkColumns(node, "keys", keys, columns);
        if (mode.orElse(null) == WriteMode.MERGE && keys.isEmpty()) {
            node.problem("keys", "is required by mode merge: the columns that identify a row");
        }
        List<String> partitionBy = node.stringList("partitionBy", false);
        SchemaFields.checkColumns(node, "partitionBy", partitionBy, columns);
        return mode.map(m -> new OutputSpec(m, keys, partitionBy, schema)).orElse(null);
    }

    private static SlaSpec readSla(YamlNode node, OutputSpec output) {
        if (!node.expectMap(SLA)) {
            return SlaSpec.NONE;
        }
        String column = node.optionalString("freshnessColumn").orElse(null);
        if (column != null && output != null) {
            Optional<dev.mesh.spec.model.ColumnSpec> declared = output.schema().stream()
                    .filter(c -> c.name().equals(column)).findFirst();
            String type = declared.map(c -> c.type().toLowerCase(java.util.Locale.ROOT)).orElse("");
            if (declared.isEmpty()) {
                node.problem("freshnessColumn", "no column '" + column + "' in output.schema; name the column of "
                        + "event time whose newest value says how old the data is");
            } else if (!type.equals("timestamp") && !type.equals("date") && !type.equals("timestamp_ntz")) {
                node.problem("freshnessColumn", "column '" + column + "' is " + type + "; the event-time column is "
                        + "a timestamp or a date");
            }
        }
        Duration freshness = duration(node, "freshness");
        Duration maxDuration = duration(node, "maxDuration");
        Double score = QualityFields.fraction(node, "minQualityScore", false);
        Double successRate = QualityFields.fraction(node, "minSuccessRate", false);
        Duration window = duration(node, "window");
        return new SlaSpec(freshness, maxDuration, score, successRate, window, column);
    }

    private static Duration duration(YamlNode node, String field) {
        return node.optionalDuration(field).orElse(null);
    }

    private static AccessSpec readAccess(YamlNode node) {
        if (!node.expectMap(ACCESS)) {
            return AccessSpec.PUBLIC;
        }
        AccessSpec.Visibility visibility = node.choice("visibility", YamlNode.names(AccessSpec.Visibility.class),
                "a visibility", false).orElse(AccessSpec.Visibility.PUBLIC);
        List<String> consumers = node.stringList("consumers", false);
        for (int i = 0; i < consumers.size(); i++) {
            SpecRules.checkName(node.get("consumers"), "[" + i + "]", consumers.get(i));
        }
        if (visibility == AccessSpec.Visibility.CONSUMERS && consumers.isEmpty()) {
            node.problem("consumers", "is required by visibility consumers: the domains that may read the product");
        }
        List<String> republish = node.stringList("republish", false);
        for (int i = 0; i < republish.size(); i++) {
            SpecRules.checkName(node.get("republish"), "[" + i + "]", republish.get(i));
        }
        return new AccessSpec(visibility, consumers, republish);
    }
}
