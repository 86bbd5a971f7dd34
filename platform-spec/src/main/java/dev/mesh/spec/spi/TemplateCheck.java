package dev.mesh.spec.spi;

import dev.mesh.spec.model.FileInputSpec;
import dev.mesh.spec.model.InputSpec;
import dev.mesh.spec.model.OutputSpec;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link TemplateDescriptor} may look at while it validates a product's transform, and where it reports: each
 * problem lands in the product file's problem list at {@code transform.<parameter>} with its line.
 */
public final class TemplateCheck {
    /** Where the problems a template finds go; the spec reader reports each with its file, line and field path. */
    @FunctionalInterface
    public interface Reporter {
        /**
         * A problem with the transform ({@code parameter} null), one of its parameters, or one element of a list
         * parameter ({@code element} 0 or more; -1 for the parameter as a whole).
         */
        void problem(String parameter, int element, String message);
    }

    private final Reporter reporter;
    private final List<InputSpec> inputs;
    private final Set<String> inputNames;
    private final OutputSpec output;
    private final SqlSyntax sqlSyntax;

    public TemplateCheck(Reporter reporter, List<InputSpec> inputs, Set<String> inputNames, OutputSpec output,
            SqlSyntax sqlSyntax) {
        this.reporter = reporter;
        this.inputs = List.copyOf(inputs);
        this.inputNames = Set.copyOf(inputNames);
        this.output = output;
        this.sqlSyntax = sqlSyntax;
    }

    /** The inputs that are valid. */
    public List<InputSpec> inputs() {
        return inputs;
    }

    /** The name of every declared input, valid or not (so that a bad input does not cascade into the transform). */
    public Set<String> inputNames() {
        return inputNames;
    }

    /** The output port, when it is valid. */
    public Optional<OutputSpec> output() {
        return Optional.ofNullable(output);
    }

    /** Checks SQL without Spark where a parser is on the classpath. */
    public SqlSyntax sqlSyntax() {
        return sqlSyntax;
    }

    /** A problem with one parameter (or with {@code template} itself). */
    public void problem(String parameter, String message) {
        reporter.problem(parameter, -1, message);
    }

    /** A problem with the transform as a whole. */
    public void problem(String message) {
        reporter.problem(null, -1, message);
    }

    /** Checks that the product declares exactly one input, as templates that publish one input need. */
    public boolean requireOneInput(String template, String combineWith) {
        if (inputNames.size() > 1) {
            reporter.problem("template", -1, template + " reads exactly one input, but the product declares "
                    + inputNames.size() + "; " + combineWith);
            return false;
        }
        return true;
    }

    /**
     * Checks that no input adds columns ({@code onSchemaMismatch: evolve}), for templates that publish a fixed set of
     * columns with a MERGE of their own.
     */
    public boolean requireFixedColumns(String template) {
        for (InputSpec input : inputs) {
            if (input instanceof FileInputSpec files
                    && files.onSchemaMismatch() == FileInputSpec.SchemaMismatch.EVOLVE) {
                reporter.problem("template", -1, template + " publishes exactly the declared columns, but input '"
                        + input.name() + "' adds undeclared ones (onSchemaMismatch: evolve); declare the columns in "
                        + "output.schema, or use ignoreExtra");
                return false;
            }
        }
        return true;
    }

    /**
     * Checks that each of {@code columns} (the value of {@code parameter}) is a column of the output schema; reports
     * the others with the nearest declared name. True when all are.
     */
    public boolean requireOutputColumns(String parameter, List<String> columns) {
        if (output == null) {
            return false;
        }
        boolean valid = true;
        for (int i = 0; i < columns.size(); i++) {
            if (output.column(columns.get(i)).isEmpty()) {
                reporter.problem(parameter, i, OutputSpec.noColumn(columns.get(i), output.columnNames()));
                valid = false;
            }
        }
        return valid;
    }
}
