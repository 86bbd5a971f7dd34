package dev.mesh.spec.yaml;

import static java.util.Objects.requireNonNull;

import dev.mesh.spec.spi.SqlSyntax;
import dev.mesh.spec.spi.TemplateCatalog;

/** What reading a product needs beyond its file: the SQL checker and the templates on the classpath. */
public record SpecReaders(SqlSyntax sqlSyntax, TemplateCatalog templates) {
    public SpecReaders {
        requireNonNull(sqlSyntax, "sqlSyntax is null");
        requireNonNull(templates, "templates is null");
    }
}
