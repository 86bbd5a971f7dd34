package dev.mesh.spec;

import static java.util.Objects.requireNonNull;

/** Which template turns the inputs into the candidate output, with its parameters. */
public record TransformSpec(Template template, String sql) {
    public TransformSpec {
        requireNonNull(template, "template is null");
        sql = sql == null ? "" : sql;
    }

    /** The templates a product can name; each is implemented behind the runtime's template SPI. */
    public enum Template {
        /** One input, projected and cast to the output schema. */
        INGEST,
        /** A Spark SQL query over the inputs, each registered as a view under its input name. */
        SQL
    }
}
