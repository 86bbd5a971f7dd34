package dev.mesh.spec;

import static java.util.Objects.requireNonNull;

/** What reading a product needs beyond its file: the SQL checker and the templates on the classpath. */
record SpecReaders(SqlSyntax sqlSyntax, TemplateCatalog templates) {
    SpecReaders {
        requireNonNull(sqlSyntax, "sqlSyntax is null");
        requireNonNull(templates, "templates is null");
    }
}
