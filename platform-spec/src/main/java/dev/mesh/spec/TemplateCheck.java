package dev.mesh.spec;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link TemplateDescriptor} may look at while it validates a product's transform, and where it reports: each
 * problem lands in the product file's problem list at {@code transform.<parameter>} with its line.
 */
public final class TemplateCheck {
    private final YamlNode transform;
    private final List<InputSpec> inputs;
    private final Set<String> inputNames;
    private final OutputSpec output;
    private final SqlSyntax sqlSyntax;

    TemplateCheck(YamlNode transform, List<InputSpec> inputs, Set<String> inputNames, OutputSpec output,
            SqlSyntax sqlSyntax) {
        this.transform = transform;
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
        transform.problem(parameter, message);
    }

    /** A problem with the transform as a whole. */
    public void problem(String message) {
        transform.problem(message);
    }

    /** Checks that the product declares exactly one input, as templates that publish one input need. */
    public boolean requireOneInput(String template, String combineWith) {
        if (inputNames.size() > 1) {
            transform.problem("template", template + " reads exactly one input, but the product declares "
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
                transform.problem("template", template + " publishes exactly the declared columns, but input '"
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
                transform.get(parameter).element(i).problem(SchemaFields.noColumn(columns.get(i),
                        output.columnNames()));
                valid = false;
            }
        }
        return valid;
    }
}
