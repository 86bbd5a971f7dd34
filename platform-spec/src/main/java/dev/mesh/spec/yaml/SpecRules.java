package dev.mesh.spec.yaml;

import dev.mesh.spec.model.NearestNames;
import dev.mesh.spec.model.ServerSpec;
import java.util.List;
import java.util.regex.Pattern;

/** The naming and format rules shared by every spec file, with the message that explains each one. */
public final class SpecRules {
    public static final String API_VERSION = "mesh/v1";

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern SOURCE = Pattern.compile("[a-z][a-z0-9_.-]{0,127}");
    private static final Pattern SEMVER = Pattern.compile("(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d{1,2}),\\s*(\\d{1,2})\\)");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PRINCIPAL = Pattern.compile("[\\p{Graph}&&[^\"'<>`]]+");
    private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9_.*?=\\-\\[\\]{},]+");

    static final List<String> SIMPLE_TYPES = List.of(
            "string", "boolean", "tinyint", "smallint", "int", "bigint", "float", "double", "date", "timestamp",
            "binary", "decimal(p,s)");
    static final List<String> NUMERIC_TYPES = List.of("tinyint", "smallint", "int", "bigint", "float", "double");

    private SpecRules() {}

    /** Domain, product and input names: they become database, table and view names. */
    public static void checkName(YamlNode node, String field, String value) {
        if (value != null && !NAME.matcher(value).matches()) {
            node.problem(field, "'" + value + "' is not a valid name; use lower-case letters, digits and '_', "
                    + "starting with a letter (at most 63 characters)");
        }
    }

    public static void checkColumnName(YamlNode node, String field, String value) {
        if (value != null && !COLUMN.matcher(value).matches()) {
            node.problem(field, "'" + value + "' is not a valid column name; use letters, digits and '_', "
                    + "not starting with a digit");
        }
    }

    public static void checkSourceName(YamlNode node, String field, String value) {
        if (value != null && !SOURCE.matcher(value).matches()) {
            node.problem(field, "'" + value + "' is not a valid source name; use lower-case letters, digits, "
                    + "'_', '-' and '.', starting with a letter");
        }
    }

    public static void checkSemver(YamlNode node, String field, String value) {
        if (value != null && !SEMVER.matcher(value).matches()) {
            node.problem(field, "'" + value + "' is not a semantic version; use MAJOR.MINOR.PATCH, e.g. 1.0.0");
        }
    }

    public static void checkEmail(YamlNode node, String field, String value) {
        if (value != null && !EMAIL.matcher(value).matches()) {
            node.problem(field, "'" + value + "' is not an e-mail address; owners are reachable people or teams");
        }
    }

    /**
     * A principal as an identity provider names it (a user name, an e-mail, a client id) or a group written
     * {@code group:NAME}: printable, without spaces, at most 200 characters.
     */
    public static void checkPrincipal(YamlNode node, String field, String value) {
        if (value == null) {
            return;
        }
        String name = value.startsWith(ServerSpec.GROUP_PREFIX) ? value.substring(ServerSpec.GROUP_PREFIX.length())
                : value;
        if (name.isEmpty() || name.length() > 200 || !PRINCIPAL.matcher(name).matches()) {
            node.problem(field, "'" + value + "' is not a principal or group: write a name without spaces as the "
                    + "identity provider sends it (alice@example.com, ci-bot), or group:NAME for a group");
        }
    }

    /** Spark SQL type names the schemas accept. */
    public static void checkType(YamlNode node, String field, String value) {
        if (value == null || SIMPLE_TYPES.contains(value)) {
            return;
        }
        var decimal = DECIMAL.matcher(value);
        if (decimal.matches()) {
            int precision = Integer.parseInt(decimal.group(1));
            int scale = Integer.parseInt(decimal.group(2));
            if (precision < 1 || precision > 38 || scale > precision) {
                node.problem(field, "'" + value + "' is not a valid decimal; precision is 1 to 38 and scale at "
                        + "most the precision");
            }
            return;
        }
        node.problem(field, "'" + value + "' is not a type; allowed: " + String.join(", ", SIMPLE_TYPES)
                + NearestNames.suggestion(value, SIMPLE_TYPES));
    }

    /** Whether {@code value} may name a domain, product, input or check. */
    public static boolean isName(String value) {
        return value != null && NAME.matcher(value).matches();
    }

    public static boolean isColumnName(String value) {
        return value != null && COLUMN.matcher(value).matches();
    }

    public static boolean isEmail(String value) {
        return value != null && EMAIL.matcher(value).matches();
    }

    public static boolean isSemver(String value) {
        return value != null && SEMVER.matcher(value).matches();
    }

    /** Whether {@code value} is a type the schemas accept (a valid decimal included). */
    public static boolean isType(String value) {
        if (value == null) {
            return false;
        }
        if (SIMPLE_TYPES.contains(value)) {
            return true;
        }
        var decimal = DECIMAL.matcher(value);
        return decimal.matches() && Integer.parseInt(decimal.group(1)) >= 1
                && Integer.parseInt(decimal.group(1)) <= 38
                && Integer.parseInt(decimal.group(2)) <= Integer.parseInt(decimal.group(1));
    }

    public static boolean isNumeric(String type) {
        return NUMERIC_TYPES.contains(type) || type.startsWith("decimal(");
    }

    /** A field that names an environment variable (secrets are never written in specs, only referenced). */
    public static void checkEnvName(YamlNode node, String field, String value) {
        if (value != null && !ENV_NAME.matcher(value).matches()) {
            node.problem(field, "'" + value + "' is not an environment variable name; name the variable that "
                    + "holds the value, e.g. CRM_JDBC_URL");
        }
    }

    /** A folder inside a zone named exactly, without glob characters: a landing folder. */
    public static void checkFolder(YamlNode node, String field, String value) {
        if (value != null && value.chars().anyMatch(c -> "*?[]{},".indexOf(c) >= 0)) {
            node.problem(field, "'" + value + "' holds a glob character; a landing folder is named exactly (letters, "
                    + "digits, '_', '-', '.', '=' and '/')");
            return;
        }
        checkRelativePath(node, field, value);
    }

    /**
     * A path inside a zone: relative, made of plain segments or globs within one segment; never '..', a scheme, a
     * leading '/' or a brace group spanning segments, so that a spec cannot point a job outside its domain's zone
     * (the reader checks every file it resolves again, after globbing and links).
     */
    public static void checkRelativePath(YamlNode node, String field, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        String problem = null;
        if (value.startsWith("/") || value.contains(":") || value.contains("\\")) {
            problem = "must be a relative path inside the domain's zone, without a scheme, drive or leading '/'";
        } else {
            int depth = 0;
            for (char c : value.toCharArray()) {
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
                if (depth < 0) {
                    break;
                }
                if (depth > 0 && c == '/') {
                    problem = "holds a '/' inside '{...}', which Hadoop expands into separate path segments; a brace "
                            + "group may only offer names within one segment, e.g. {2025,2026}";
                    break;
                }
            }
            if (problem == null && depth != 0) {
                problem = "has unbalanced braces; a brace group is {a,b} within one segment";
            }
            for (String segment : problem != null ? new String[0] : value.split("/", -1)) {
                if (segment.equals("..") || segment.equals(".")) {
                    problem = "must not contain '" + segment + "': a path cannot leave the domain's zone";
                    break;
                }
                if (!PATH_SEGMENT.matcher(segment).matches()) {
                    problem = "segment '" + segment + "' is not allowed; use letters, digits, '_', '-', '.', '=' "
                            + "and glob characters";
                    break;
                }
            }
        }
        if (problem != null) {
            node.problem(field, "'" + value + "' " + problem);
        }
    }
}
