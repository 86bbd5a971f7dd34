package dev.mesh.spec.yaml;

import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.FileInputSpec;
import dev.mesh.spec.model.FileInputSpec.FileFormat;
import dev.mesh.spec.model.InputSpec;
import dev.mesh.spec.model.OutputSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductInputSpec;
import dev.mesh.spec.validation.IgnorePatterns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Binds a product's {@code inputs}: landing files, other products' output ports and JDBC tables. */
final class InputFields {
    static final Set<String> INPUT = YamlNode.fields("name", "files", "product", "jdbc");
    static final Set<String> FILES = YamlNode.fields("source", "path", "format", "options", "schema",
            "encoding", "onSchemaMismatch", "ignore", "onChangedFile");
    /** Reader options the platform sets itself, so that values are parsed strictly and columns bound by name. */
    private static final Map<String, String> RESERVED_OPTIONS = reservedOptions();

    private InputFields() {}

    /** The inputs that are valid; {@code names} receives the name of every input, valid or not. */
    static List<InputSpec> read(YamlNode root, Set<String> names, OutputSpec output) {
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
        List<ColumnSpec> schema = SchemaFields.read(node, false);
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
}
