package dev.mesh.spec;

import dev.mesh.spec.CheckSpec.CheckKind;
import dev.mesh.spec.CheckSpec.Level;
import dev.mesh.spec.FileInputSpec.FileFormat;
import dev.mesh.spec.OutputSpec.WriteMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/** Binds one product file to a {@link ProductSpec}, reporting every problem it finds inside the file. */
final class ProductFileReader {
    private static final Set<String> TOP = YamlNode.fields(
            "apiVersion", "kind", "name", "domain", "version", "owner", "description", "inputs", "transform",
            "output", "quality", "sla", "access");
    private static final Set<String> INPUT = YamlNode.fields("name", "files", "product", "jdbc");
    private static final Set<String> FILES = YamlNode.fields("source", "path", "format", "options", "schema",
            "encoding", "onSchemaMismatch", "ignore", "onChangedFile");
    /** Reader options the platform sets itself, so that values are parsed strictly and columns bound by name. */
    private static final Map<String, String> RESERVED_OPTIONS = reservedOptions();
    private static final Set<String> OUTPUT = YamlNode.fields("mode", "keys", "partitionBy", "schema");
    private static final Set<String> COLUMN = YamlNode.fields("name", "type", "required", "description",
            "classification", "protection", "declassified");
    private static final Set<String> QUALITY = YamlNode.fields("rowRules", "maxQuarantineRate", "checks",
            "anomalies");
    private static final Map<String, RowRuleSpec.Kind> ROW_RULE_KINDS = rowRuleKinds();
    private static final Map<String, Set<String>> ROW_RULE_FIELDS = Map.of(
            "notNull", YamlNode.fields("check", "name", "column"),
            "allowedValues", YamlNode.fields("check", "name", "column", "values"),
            "pattern", YamlNode.fields("check", "name", "column", "regex"),
            "range", YamlNode.fields("check", "name", "column", "min", "max"),
            "satisfies", YamlNode.fields("check", "name", "sql"));
    private static final Map<String, AnomalySpec.Metric> ANOMALY_METRICS = anomalyMetrics();
    private static final Set<String> ANOMALY = YamlNode.fields("metric", "column", "maxDecrease", "maxIncrease",
            "maxChange", "stdDevs", "level");
    private static final Set<String> SLA = YamlNode.fields("freshness", "maxDuration", "minQualityScore",
            "minSuccessRate", "window");
    private static final Set<String> ACCESS = YamlNode.fields("visibility", "consumers", "republish");
    private static final Map<String, CheckKind> CHECK_KINDS = checkKinds();

    private ProductFileReader() {}

    /** The product, or empty when the file has problems (all of them reported). */
    static Optional<ProductSpec> read(YamlDocument document, String folderDomain, Path file, SpecReaders readers) {
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

        OutputSpec output = readOutput(root.get("output"));
        Set<String> inputNames = new HashSet<>();
        List<InputSpec> inputs = readInputs(root, inputNames, output);
        TransformSpec transform = readTransform(root.get("transform"), inputs, inputNames, output, readers);
        QualitySpec quality = readQuality(root.get("quality"), output, sqlSyntax);
        SlaSpec sla = readSla(root.get("sla"));
        AccessSpec access = readAccess(root.get("access"));

        if (document.hasProblems() || name == null || domain == null || version == null || owner == null
                || output == null || transform == null) {
            return Optional.empty();
        }
        return Optional.of(new ProductSpec(new ProductId(domain, name), version, owner, description, inputs,
                transform, output, quality, sla, access, file, SpecFiles.hash(document)));
    }

    /** The inputs that are valid; {@code names} receives the name of every input, valid or not. */
    private static List<InputSpec> readInputs(YamlNode root, Set<String> names, OutputSpec output) {
        List<YamlNode> nodes = root.list("inputs", true);
        if (root.has("inputs") && nodes.isEmpty()) {
            root.problem("inputs", "must name at least one input");
        }
        List<InputSpec> inputs = new ArrayList<>();
        for (YamlNode node : nodes) {
            if (!node.expectMap(INPUT)) {
                continue;
            }
            String name = node.requiredString("name");
            SpecRules.checkName(node, "name", name);
            if (name != null && !names.add(name)) {
                node.problem("name", "input '" + name + "' is declared twice; input names must be unique");
            }
            boolean files = node.has("files");
            boolean product = node.has("product");
            boolean jdbc = node.has("jdbc");
            if ((files ? 1 : 0) + (product ? 1 : 0) + (jdbc ? 1 : 0) != 1) {
                node.problem("needs exactly one of 'files' (a source's landing files), 'product' (another "
                        + "product's output port) or 'jdbc' (a database table)");
                continue;
            }
            if (files) {
                readFiles(node.get("files"), name, output).ifPresent(inputs::add);
            } else if (jdbc) {
                JdbcInputFields.read(node.get("jdbc"), name).ifPresent(inputs::add);
            } else {
                String text = node.requiredString("product");
                if (text == null) {
                    continue;
                }
                int at = text.indexOf('@');
                ProductId id = ProductId.parse(at < 0 ? text : text.substring(0, at));
                Optional<Integer> major = at < 0 || !text.substring(at + 1).matches("(0|[1-9][0-9]{0,8})")
                        ? Optional.empty() : Optional.of(Integer.parseInt(text.substring(at + 1)));
                if (id == null || (at >= 0 && major.isEmpty())) {
                    node.problem("product", "'" + text + "' is not a product reference; use DOMAIN.PRODUCT, or "
                            + "DOMAIN.PRODUCT@MAJOR to rely on one major version of its schema");
                } else if (name != null) {
                    inputs.add(new ProductInputSpec(name, id, major));
                }
            }
        }
        return inputs;
    }

    private static Optional<InputSpec> readFiles(YamlNode node, String name, OutputSpec output) {
        if (!node.expectMap(FILES)) {
            return Optional.empty();
        }
        String source = node.requiredString("source");
        String path = node.optionalString("path").orElse("");
        SpecRules.checkRelativePath(node, "path", path);
        Optional<FileFormat> format = node.choice("format", YamlNode.names(FileFormat.class), "a file format", true);
        Map<String, String> options = node.stringMap("options");
        options.keySet().stream().filter(option -> RESERVED_OPTIONS.containsKey(option.toLowerCase(Locale.ROOT)))
                .forEach(option -> node.get("options").get(option).problem("is set by the platform; "
                        + RESERVED_OPTIONS.get(option.toLowerCase(Locale.ROOT))));
        List<ColumnSpec> schema = readSchema(node, false);
        String encoding = node.optionalString("encoding").orElse(FileInputSpec.DEFAULT_ENCODING);
        if (!isCharset(encoding)) {
            node.problem("encoding", "'" + encoding + "' is not a character set Java knows; e.g. UTF-8, "
                    + "ISO-8859-1, windows-1252, UTF-16");
        }
        String upper = encoding.toUpperCase(Locale.ROOT);
        if (format.orElse(null) == FileFormat.JSON && (upper.startsWith("UTF-16") || upper.startsWith("UTF-32"))) {
            node.problem("encoding", "'" + encoding + "' does not suit JSON lines, which are split at line-break "
                    + "bytes; use UTF-8 (JSON's own), or another encoding whose line breaks are single bytes");
        }
        Optional<FileInputSpec.SchemaMismatch> onMismatch = node.choice("onSchemaMismatch",
                FileInputSpec.SchemaMismatch.bySpecName(), "a way to handle a schema mismatch", false);
        if (onMismatch.isPresent() && format.orElse(null) == FileFormat.JSON) {
            node.problem("onSchemaMismatch", "applies to CSV and Parquet files, whose columns are known per file; "
                    + "JSON fields are bound by name and undeclared fields are ignored");
        }
        List<String> ignore = node.optionalStringList("ignore").orElse(FileInputSpec.DEFAULT_IGNORE);
        for (int i = 0; i < ignore.size(); i++) {
            YamlNode pattern = node.get("ignore").element(i);
            IgnorePatterns.problem(ignore.get(i)).ifPresent(pattern::problem);
        }
        Optional<FileInputSpec.ChangedFile> onChanged = node.choice("onChangedFile",
                FileInputSpec.ChangedFile.bySpecName(), "a way to handle a published file that changed", false);
        if (onChanged.orElse(null) == FileInputSpec.ChangedFile.REINGEST && output != null
                && output.mode() == OutputSpec.WriteMode.APPEND) {
            node.problem("onChangedFile", "reingest would append a changed file's rows again next to the ones its "
                    + "first version published (duplicates); use it with output.mode merge, or fail (the default) or "
                    + "ignore");
        }
        if (source == null || format.isEmpty() || name == null) {
            return Optional.empty();
        }
        return Optional.of(new FileInputSpec(name, source, path, format.get(), options, schema, encoding,
                onMismatch.orElse(FileInputSpec.SchemaMismatch.FAIL), ignore,
                onChanged.orElse(FileInputSpec.ChangedFile.FAIL)));
    }

    private static boolean isCharset(String name) {
        try {
            return java.nio.charset.Charset.isSupported(name);
        } catch (java.nio.charset.IllegalCharsetNameException e) {
            return false;
        }
    }

    private static Map<String, String> reservedOptions() {
        String strict = "values are parsed strictly as their declared types";
        Map<String, String> reserved = new LinkedHashMap<>();
        reserved.put("mode", "records that do not parse always go to quarantine");
        reserved.put("columnnameofcorruptrecord", "records that do not parse always go to quarantine");
        reserved.put("enforceschema", "CSV columns are always bound by their header's names");
        reserved.put("inferschema", strict);
        reserved.put("samplingratio", strict);
        reserved.put("encoding", "use the input's encoding field");
        reserved.put("charset", "use the input's encoding field");
        String listed = "the platform lists the landing files itself, and each is read or listed as ignored with the "
                + "reason; use the input's ignore patterns";
        reserved.put("recursivefilelookup", listed);
        reserved.put("modifiedbefore", listed);
        reserved.put("modifiedafter", listed);
        reserved.put("ignorecorruptfiles", "a corrupt file fails the run, naming it; a file is never skipped silently");
        reserved.put("ignoremissingfiles", "a file that vanishes fails the run, naming it; a file is never skipped "
                + "silently");
        reserved.put("multiline", "CSV records are read whole, quoted line breaks included, and JSON is one object "
                + "per line");
        return reserved;
    }

    private static TransformSpec readTransform(YamlNode node, List<InputSpec> inputs, Set<String> inputNames,
            OutputSpec output, SpecReaders readers) {
        TemplateCatalog templates = readers.templates();
        if (node.isMissing()) {
            node.problem("is required; use { template: ingest } to publish one input as declared, or "
                    + "{ template: sql, sql: ... } (templates: " + String.join(", ", templates.byName().keySet())
                    + "; mesh templates describes each)");
            return null;
        }
        if (!node.isMap()) {
            node.expectMap(Set.of());
            return null;
        }
        Optional<TemplateDescriptor> found = node.choice("template", templates.byName(), "a template", true);
        if (found.isEmpty()) {
            return null;
        }
        TemplateDescriptor template = found.get();
        List<String> names = template.parameters().stream().map(TemplateParameter::name).toList();
        boolean valid = true;
        for (String field : node.fieldNames()) {
            if (!field.equals("template") && !names.contains(field)) {
                node.problem(field, "is not a parameter of the " + template.name() + " template"
                        + NearestNames.suggestion(field, names) + " (" + (names.isEmpty() ? "it takes none"
                        : "it takes: " + String.join(", ", names)) + "; mesh templates describes each)");
                valid = false;
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (TemplateParameter parameter : template.parameters()) {
            Object value = parameterValue(node, parameter);
            if (value != null) {
                values.put(parameter.name(), value);
            } else if (node.has(parameter.name())) {
                valid = false; // reported as the wrong kind of value
            } else if (parameter.required()) {
                node.problem(parameter.name(), "is required by the " + template.name() + " template: "
                        + parameter.doc());
                valid = false;
            } else if (parameter.defaultValue() != null) {
                values.put(parameter.name(), parameter.defaultValue());
            }
        }
        if (!valid) {
            return null;
        }
        TemplateParameters parameters = TemplateParameters.of(values);
        try {
            template.validate(parameters, new TemplateCheck(node, inputs, inputNames, output, readers.sqlSyntax()));
        } catch (RuntimeException e) {
            // a template is a plugin: its own bug is reported against the file, never thrown out of validation
            node.problem("template", "the " + template.name() + " template could not check its parameters ("
                    + dev.mesh.error.PlainMessages.of(e) + "); report this to the template's authors");
            return null;
        }
        return new TransformSpec(template.name(), parameters);
    }

    /** The parameter's value bound to its declared type, or null when it is absent or (reported) of another kind. */
    private static Object parameterValue(YamlNode node, TemplateParameter parameter) {
        String name = parameter.name();
        if (!node.has(name)) {
            return null;
        }
        return switch (parameter.type()) {
            case STRING -> node.optionalString(name).orElse(null);
            case STRING_LIST -> node.optionalStringList(name).orElse(null);
            case INTEGER -> node.optionalLong(name).orElse(null);
            case NUMBER -> node.optionalNumber(name).orElse(null);
            case BOOLEAN -> node.optionalBoolean(name).orElse(null);
        };
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
        List<ColumnSpec> schema = readSchema(node, true);
        List<String> columns = schema.stream().map(ColumnSpec::name).toList();
        List<String> keys = node.stringList("keys", false);
        checkColumns(node, "keys", keys, columns);
        if (mode.orElse(null) == WriteMode.MERGE && keys.isEmpty()) {
            node.problem("keys", "is required by mode merge: the columns that identify a row");
        }
        List<String> partitionBy = node.stringList("partitionBy", false);
        checkColumns(node, "partitionBy", partitionBy, columns);
        return mode.map(m -> new OutputSpec(m, keys, partitionBy, schema)).orElse(null);
    }

    private static void checkColumns(YamlNode node, String field, List<String> names, List<String> columns) {
        YamlNode list = node.get(field);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (!columns.isEmpty() && !columns.contains(name)) {
                list.element(i).problem(noColumn(name, columns));
            } else if (!seen.add(name)) {
                list.element(i).problem("column '" + name + "' is listed twice");
            }
        }
    }

    static String noColumn(String name, List<String> columns) {
        return "no column '" + name + "' in output.schema" + NearestNames.suggestion(name, columns)
                + (NearestNames.nearest(name, columns).isPresent() ? "" : " (columns: " + String.join(", ", columns)
                + ")");
    }

    private static List<ColumnSpec> readSchema(YamlNode node, boolean required) {
        List<YamlNode> nodes = node.list("schema", required);
        if (required && node.has("schema") && nodes.isEmpty()) {
            node.problem("schema", "must declare at least one column");
        }
        List<ColumnSpec> columns = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (YamlNode column : nodes) {
            if (!column.expectMap(COLUMN)) {
                continue;
            }
            String name = column.requiredString("name");
            SpecRules.checkColumnName(column, "name", name);
            if (name != null && !names.add(name)) {
                column.problem("name", "column '" + name + "' is declared twice");
            }
            String type = column.requiredString("type");
            SpecRules.checkType(column, "type", type);
            boolean notNull = column.optionalBoolean("required", false);
            String description = column.optionalString("description").orElse("");
            String classification = column.optionalString("classification").orElse("");
            ColumnSpec.Protection protection = column.choice("protection",
                    YamlNode.names(ColumnSpec.Protection.class), "a protection", false)
                    .orElse(ColumnSpec.Protection.NONE);
            if (protection == ColumnSpec.Protection.HASH && type != null && !type.equalsIgnoreCase("string")) {
                column.problem("protection", "hash publishes a hex string; the column's type is " + type + ": "
                        + "declare it as string, or use redact or drop");
            }
            if (notNull && (protection == ColumnSpec.Protection.REDACT || protection == ColumnSpec.Protection.DROP)) {
                column.problem("protection", protection.specName() + " publishes no value of this column outside "
                        + "its domain, and required: true promises one in every row; drop required, or protect it "
                        + "with hash");
            }
            String declassified = column.optionalString("declassified").orElse("");
            if (column.has("declassified") && declassified.isBlank()) {
                column.problem("declassified", "must say why the column no longer identifies anyone");
            } else if (!declassified.isBlank() && !ColumnSpec.NONE.equalsIgnoreCase(classification)) {
                column.problem("declassified", "declassifies a column, so its classification must be none (it is '"
                        + classification + "'); set classification: none, or remove declassified");
            }
            if (name != null && type != null) {
                columns.add(new ColumnSpec(name, type, notNull, description, classification, protection,
                        declassified));
            }
        }
        return columns;
    }

    private static QualitySpec readQuality(YamlNode node, OutputSpec output, SqlSyntax sqlSyntax) {
        if (!node.expectMap(QUALITY)) {
            return QualitySpec.NONE;
        }
        List<RowRuleSpec> rowRules = new ArrayList<>();
        Set<String> ruleNames = new HashSet<>();
        for (YamlNode rule : node.list("rowRules", false)) {
            readRowRule(rule, output, sqlSyntax).ifPresent(r -> {
                if (!ruleNames.add(r.name())) {
                    rule.problem("name", "row rule '" + r.name() + "' is declared twice; give one a name");
                } else {
                    rowRules.add(r);
                }
            });
        }
        // malformed source records count too, so the limit also applies without row rules
        Double maxQuarantineRate = fraction(node, "maxQuarantineRate", false);
        List<CheckSpec> checks = new ArrayList<>();
        for (YamlNode check : node.list("checks", false)) {
            readCheck(check, output, sqlSyntax).ifPresent(checks::add);
        }
        List<AnomalySpec> anomalies = new ArrayList<>();
        for (YamlNode anomaly : node.list("anomalies", false)) {
            readAnomaly(anomaly, output).ifPresent(anomalies::add);
        }
        return new QualitySpec(rowRules, maxQuarantineRate, checks, anomalies);
    }

    private static Optional<RowRuleSpec> readRowRule(YamlNode node, OutputSpec output, SqlSyntax sqlSyntax) {
        if (!node.isMap()) {
            node.expectMap(Set.of());
            return Optional.empty();
        }
        if (!node.has("check")) {
            node.problem("check", "is required; allowed: " + String.join(", ", ROW_RULE_KINDS.keySet()));
            return Optional.empty();
        }
        Optional<RowRuleSpec.Kind> kind = node.choice("check", ROW_RULE_KINDS, "a row rule", true);
        if (kind.isEmpty() || !node.expectMap(ROW_RULE_FIELDS.get(kind.get().specName()))) {
            return Optional.empty();
        }
        String name = node.optionalString("name").orElse(null);
        if (name != null) {
            SpecRules.checkName(node, "name", name);
        }
        List<String> columns = new ArrayList<>();
        List<String> values = List.of();
        Double min = null;
        Double max = null;
        String regex = null;
        String sql = null;
        // a switch expression: a new kind that is not read here does not compile
        boolean valid = switch (kind.get()) {
            case NOT_NULL -> column(node, output, columns, null);
            case ALLOWED_VALUES -> {
                boolean read = column(node, output, columns, null);
                values = node.scalarList("values", true);
                yield read && !values.isEmpty();
            }
            case PATTERN -> {
                boolean read = column(node, output, columns, "string");
                regex = node.requiredString("regex");
                yield read & (regex != null && validRegex(node, regex));
            }
            case RANGE -> {
                boolean read = column(node, output, columns, "numeric");
                min = node.optionalNumber("min").orElse(null);
                max = node.optionalNumber("max").orElse(null);
                yield bounds(node, min, max, "min", "max") && read;
            }
            case SATISFIES -> {
                if (name == null) {
                    node.problem("name", "is required by satisfies: it names the rule in quarantine reasons");
                }
                sql = node.requiredString("sql");
                yield name != null && sql != null && validExpression(node, sql, sqlSyntax);
            }
        };
        if (!valid) {
            return Optional.empty();
        }
        String column = columns.isEmpty() ? null : columns.get(0);
        String ruleName = name != null ? name : RowRuleSpec.defaultName(kind.get(), column);
        return Optional.of(new RowRuleSpec(kind.get(), ruleName, column, values, min, max, regex, sql));
    }

    private static Optional<AnomalySpec> readAnomaly(YamlNode node, OutputSpec output) {
        if (!node.isMap()) {
            node.expectMap(Set.of());
            return Optional.empty();
        }
        if (!node.expectMap(ANOMALY)) {
            return Optional.empty();
        }
        Optional<AnomalySpec.Metric> metric = node.choice("metric", ANOMALY_METRICS, "a metric", true);
        if (metric.isEmpty()) {
            return Optional.empty();
        }
        List<String> columns = new ArrayList<>();
        boolean valid = true;
        if (metric.get().needsColumn()) {
            String family = metric.get() == AnomalySpec.Metric.COMPLETENESS || metric.get() == AnomalySpec.Metric.DISTINCT
                    ? null : "numeric";
            valid = column(node, output, columns, family);
        } else if (node.has("column")) {
            node.problem("column", "is not used by metric " + metric.get().specName());
            valid = false;
        }
        Double maxDecrease = fraction(node, "maxDecrease", false);
        Double maxIncrease = node.optionalNumber("maxIncrease").orElse(null);
        Double maxChange = node.optionalNumber("maxChange").orElse(null);
        Double stdDevs = node.optionalNumber("stdDevs").orElse(null);
        int strategies = (maxDecrease != null || maxIncrease != null ? 1 : 0) + (maxChange != null ? 1 : 0)
                + (stdDevs != null ? 1 : 0);
        if (strategies != 1) {
            node.problem("needs exactly one kind of bound: maxDecrease and/or maxIncrease (relative change), "
                    + "maxChange (absolute change) or stdDevs (distance from the history's mean)");
            valid = false;
        }
        for (String field : List.of("maxIncrease", "maxChange", "stdDevs")) {
            Optional<Double> value = node.optionalNumber(field);
            if (value.isPresent() && value.get() <= 0) {
                node.problem(field, value.get() + " must be positive");
                valid = false;
            }
        }
        CheckSpec.Level level = node.choice("level", YamlNode.names(CheckSpec.Level.class), "a level", false)
                .orElse(CheckSpec.Level.ERROR);
        if (!valid) {
            return Optional.empty();
        }
        return Optional.of(new AnomalySpec(metric.get(), columns.isEmpty() ? null : columns.get(0), maxDecrease,
                maxIncrease, maxChange, stdDevs, level));
    }

    private static boolean validExpression(YamlNode node, String sql, SqlSyntax sqlSyntax) {
        List<String> problems = sqlSyntax.expressionProblems(sql);
        problems.forEach(problem -> node.problem("sql", problem));
        return problems.isEmpty();
    }

    private static boolean validRegex(YamlNode node, String regex) {
        try {
            java.util.regex.Pattern.compile(regex);
            return true;
        } catch (PatternSyntaxException e) {
            node.problem("regex", "'" + regex + "' is not a valid regular expression: " + e.getDescription());
            return false;
        }
    }

    private static Map<String, RowRuleSpec.Kind> rowRuleKinds() {
        Map<String, RowRuleSpec.Kind> kinds = new LinkedHashMap<>();
        for (RowRuleSpec.Kind kind : RowRuleSpec.Kind.values()) {
            kinds.put(kind.specName(), kind);
        }
        return kinds;
    }

    private static Map<String, AnomalySpec.Metric> anomalyMetrics() {
        Map<String, AnomalySpec.Metric> metrics = new LinkedHashMap<>();
        for (AnomalySpec.Metric metric : AnomalySpec.Metric.values()) {
            metrics.put(metric.specName(), metric);
        }
        return metrics;
    }

    private static Optional<CheckSpec> readCheck(YamlNode node, OutputSpec output, SqlSyntax sqlSyntax) {
        if (!node.isMap()) {
            node.expectMap(Set.of());
            return Optional.empty();
        }
        if (!node.has("check")) {
            node.problem("check", "is required; allowed: " + String.join(", ", CHECK_KINDS.keySet()));
            return Optional.empty();
        }
        Optional<CheckKind> kind = node.choice("check", CHECK_KINDS, "a check", true);
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        if (!node.expectMap(checkFields(kind.get()))) {
            return Optional.empty();
        }
        Level level = node.choice("level", YamlNode.names(Level.class), "a level", false).orElse(Level.ERROR);
        String name = node.optionalString("name").orElse(null);
        List<String> schemaColumns = output == null ? List.of() : output.columnNames();
        List<String> columns = new ArrayList<>();
        List<String> values = List.of();
        Double min = null;
        Double max = null;
        String regex = null;
        String sql = null;
        // a switch expression: a new kind that is not read here does not compile
        boolean valid = switch (kind.get()) {
            case COMPLETE -> column(node, output, columns, null);
            case COMPLETENESS -> {
                boolean read = column(node, output, columns, null);
                min = fraction(node, "min", true);
                yield read && min != null;
            }
            case UNIQUE -> {
                if (node.has("column") == node.has("columns")) {
                    node.problem("needs exactly one of 'column' or 'columns'");
                    yield false;
                } else if (node.has("column")) {
                    yield column(node, output, columns, null);
                }
                columns.addAll(node.stringList("columns", true));
                checkColumns(node, "columns", columns, schemaColumns);
                if (columns.isEmpty()) {
                    node.problem("columns", "must name at least one column");
                    yield false;
                }
                yield true;
            }
            case ALLOWED_VALUES -> {
                boolean read = column(node, output, columns, null);
                values = node.scalarList("values", true);
                if (node.has("values") && values.isEmpty()) {
                    node.problem("values", "must list at least one value");
                    yield false;
                }
                yield read;
            }
            case ROW_COUNT -> {
                min = node.optionalLong("min").map(Long::doubleValue).orElse(null);
                max = node.optionalLong("max").map(Long::doubleValue).orElse(null);
                boolean read = bounds(node, min, max, "min", "max");
                if (read && ((min != null && min < 0) || (max != null && max < 0))) {
                    node.problem("row counts cannot be negative");
                    yield false;
                }
                yield read;
            }
            case MIN, MAX -> {
                boolean read = column(node, output, columns, "numeric");
                min = node.optionalNumber("atLeast").orElse(null);
                max = node.optionalNumber("atMost").orElse(null);
                yield bounds(node, min, max, "atLeast", "atMost") && read;
            }
            case PATTERN -> {
                boolean read = column(node, output, columns, "string");
                regex = node.requiredString("regex");
                if (regex != null) {
                    try {
                        java.util.regex.Pattern.compile(regex);
                    } catch (PatternSyntaxException e) {
                        node.problem("regex", "'" + regex + "' is not a valid regular expression: "
                                + e.getDescription());
                        read = false;
                    }
                }
                min = fraction(node, "min", false);
                yield read && regex != null;
            }
            case SATISFIES -> {
                if (name == null) {
                    node.problem("name", "is required by satisfies: it names the rule in metrics and reports");
                }
                sql = node.requiredString("sql");
                min = fraction(node, "min", false);
                yield name != null && sql != null && validExpression(node, sql, sqlSyntax);
            }
        };
        if (name != null) {
            SpecRules.checkName(node, "name", name);
        }
        if (!valid) {
            return Optional.empty();
        }
        return Optional.of(new CheckSpec(kind.get(), level, name, columns, values, min, max, regex, sql));
    }

    /** Reads {@code column}, checks it is in the output schema (and of the wanted type family). */
    private static boolean column(YamlNode node, OutputSpec output, List<String> columns, String family) {
        String column = node.requiredString("column");
        if (column == null) {
            return false;
        }
        if (output != null) {
            Optional<ColumnSpec> declared = output.column(column);
            if (declared.isEmpty()) {
                node.problem("column", noColumn(column, output.columnNames()));
                return false;
            }
            String type = declared.get().type();
            if ("numeric".equals(family) && !SpecRules.isNumeric(type)) {
                node.problem("column", "'" + column + "' is " + type + "; this check needs a numeric column");
                return false;
            }
            if ("string".equals(family) && !type.equals("string")) {
                node.problem("column", "'" + column + "' is " + type + "; this check needs a string column");
                return false;
            }
        }
        columns.add(column);
        return true;
    }

    private static Double fraction(YamlNode node, String field, boolean required) {
        Optional<Double> value = node.optionalNumber(field);
        if (value.isEmpty()) {
            if (required && !node.has(field)) {
                node.problem(field, "is required: a fraction between 0 and 1");
            }
            return null;
        }
        if (value.get() < 0 || value.get() > 1) {
            node.problem(field, value.get() + " is not a fraction; use a number between 0 and 1");
            return null;
        }
        return value.get();
    }

    private static boolean bounds(YamlNode node, Double min, Double max, String minField, String maxField) {
        if (min == null && max == null) {
            if (!node.has(minField) && !node.has(maxField)) {
                node.problem("needs '" + minField + "', '" + maxField + "' or both");
            }
            return false;
        }
        if (min != null && max != null && min > max) {
            node.problem(minField, minField + " " + plain(min) + " is greater than " + maxField + " " + plain(max));
            return false;
        }
        return true;
    }

    private static String plain(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static SlaSpec readSla(YamlNode node) {
        if (!node.expectMap(SLA)) {
            return SlaSpec.NONE;
        }
        Duration freshness = duration(node, "freshness");
        Duration maxDuration = duration(node, "maxDuration");
        Double score = fraction(node, "minQualityScore", false);
        Double successRate = fraction(node, "minSuccessRate", false);
        Duration window = duration(node, "window");
        return new SlaSpec(freshness, maxDuration, score, successRate, window);
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

    private static Map<String, CheckKind> checkKinds() {
        Map<String, CheckKind> kinds = new LinkedHashMap<>();
        for (CheckKind kind : CheckKind.values()) {
            kinds.put(kind.specName(), kind);
        }
        return kinds;
    }

    /** The fields each check kind takes: a switch expression, so a new kind without its fields does not compile. */
    private static Set<String> checkFields(CheckKind kind) {
        return switch (kind) {
            case COMPLETE -> YamlNode.fields("check", "level", "name", "column");
            case COMPLETENESS -> YamlNode.fields("check", "level", "name", "column", "min");
            case UNIQUE -> YamlNode.fields("check", "level", "name", "column", "columns");
            case ALLOWED_VALUES -> YamlNode.fields("check", "level", "name", "column", "values");
            case ROW_COUNT -> YamlNode.fields("check", "level", "name", "min", "max");
            case MIN, MAX -> YamlNode.fields("check", "level", "name", "column", "atLeast", "atMost");
            case PATTERN -> YamlNode.fields("check", "level", "name", "column", "regex", "min");
            case SATISFIES -> YamlNode.fields("check", "level", "name", "sql", "min");
        };
    }
}
