package dev.mesh.spec.validation;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.PatternSyntaxException;

/**
 * Which landing files an input does not read, and why: glob patterns over the path of a file inside its source's
 * landing folder. A pattern without '/' matches a name, the file's or any folder's on the way to it (so {@code _*}
 * ignores {@code _SUCCESS} and everything under {@code _tmp/}); a pattern with '/' matches the whole relative path.
 */
public final class IgnorePatterns {
    private record Rule(String pattern, PathMatcher matcher, boolean wholePath) {}

    private final List<Rule> rules;

    private IgnorePatterns(List<Rule> rules) {
        this.rules = rules;
    }

    public static IgnorePatterns of(List<String> patterns) {
        List<Rule> rules = new ArrayList<>();
        for (String pattern : patterns) {
            rules.add(new Rule(pattern, FileSystems.getDefault().getPathMatcher("glob:" + pattern),
                    pattern.contains("/")));
        }
        return new IgnorePatterns(List.copyOf(rules));
    }

    /** Why the pattern is not one, or empty when it is. */
    public static Optional<String> problem(String pattern) {
        if (pattern.isBlank()) {
            return Optional.of("is empty; a pattern names files, e.g. '*.tmp' or '_*'");
        }
        if (pattern.startsWith("/") || pattern.contains("\\")) {
            return Optional.of("'" + pattern + "' is not a pattern inside the landing folder; use a relative glob "
                    + "without '\\\\' or a leading '/'");
        }
        try {
            FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            return Optional.empty();
        } catch (PatternSyntaxException e) {
            return Optional.of("'" + pattern + "' is not a glob pattern: " + e.getDescription());
        }
    }

    /** Why the file at {@code relativePath} (inside its landing folder, '/'-separated) is not read; empty to read it. */
    public Optional<String> reason(String relativePath) {
        String[] segments = relativePath.split("/");
        for (Rule rule : rules) {
            if (rule.wholePath()) {
                if (rule.matcher().matches(Path.of(relativePath))) {
                    return Optional.of("matches the input's ignore pattern '" + rule.pattern() + "'");
                }
                continue;
            }
            for (int i = 0; i < segments.length - 1; i++) {
                if (rule.matcher().matches(Path.of(segments[i]))) {
                    return Optional.of("is under the folder '" + String.join("/", List.of(segments).subList(0, i + 1))
                            + "/', which the input's ignore pattern '" + rule.pattern() + "' leaves out (folders "
                            + "where uploads are staged)");
                }
            }
            String name = segments[segments.length - 1];
            if (rule.matcher().matches(Path.of(name))) {
                return Optional.of(describe(name) + "; the input's ignore pattern '" + rule.pattern()
                        + "' leaves it out");
            }
        }
        return Optional.empty();
    }

    private static String describe(String name) {
        if (name.equals("_SUCCESS") || name.equals("_FAILED") || name.equals("_STARTED")) {
            return "a job's marker file";
        }
        if (name.endsWith(".crc")) {
            return "a checksum file";
        }
        if (name.endsWith("._COPYING_")) {
            return "a copy in progress (hadoop fs -put writes it, then renames it)";
        }
        if (name.startsWith(".") && name.endsWith(".tmp")) {
            return "an upload in progress";
        }
        if (name.startsWith(".") || name.startsWith("_")) {
            return "a hidden file (its name starts with '" + name.charAt(0) + "')";
        }
        return "not a data file";
    }
}
