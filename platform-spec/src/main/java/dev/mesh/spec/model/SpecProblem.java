package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

/**
 * One thing wrong with a spec: the file, the field path inside it ({@code quality.checks[2].column}), the line
 * where that field starts (0 when unknown) and what is wrong and what is allowed.
 */
public record SpecProblem(String file, String path, int line, String message) {
    public SpecProblem {
        requireNonNull(file, "file is null");
        requireNonNull(path, "path is null");
        requireNonNull(message, "message is null");
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(file);
        if (line > 0) {
            text.append(':').append(line);
        }
        text.append(": ");
        if (!path.isEmpty()) {
            text.append(path).append(": ");
        }
        return text.append(message).toString();
    }
}
