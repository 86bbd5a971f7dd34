package dev.mesh.runtime.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;

import dev.mesh.error.MeshException;
import dev.mesh.error.Secrets;
import dev.mesh.spec.model.AccessSpec.Visibility;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.ColumnSpec.Protection;
import dev.mesh.spec.model.GovernanceSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The protection of personal data in a port visible outside the product's domain: each column with a
 * {@code protection} is published hashed (SHA-256 of the salt and the value, hex; the same value gives the same hash,
 * so consumers can still join and count on it), redacted (null) or not at all. The gate judges the real values
 * before; a product visible only to its own domain publishes them as they are. The salt comes from the environment
 * variable the governance file names, and is registered as a secret, so it never reaches a log or an error.
 */
final class PiiProtection {
    private final ProductSpec product;
    private final Optional<String> salt;

    private PiiProtection(ProductSpec product, Optional<String> salt) {
        this.product = product;
        this.salt = salt;
    }

    /** The product's protection; fails, before anything is read, when a hash needs a salt the environment lacks. */
    static PiiProtection of(ProductSpec product, MeshSpec mesh, Map<String, String> environment) {
        boolean hashes = protects(product) && product.output().schema().stream()
                .anyMatch(column -> column.protection() == Protection.HASH);
        if (!hashes) {
            return new PiiProtection(product, Optional.empty());
        }
        String variable = mesh.policies().governance().flatMap(GovernanceSpec::piiSaltEnv).orElseThrow(() ->
                MeshException.invalidInput("%s (%s): a column is published hashed, but the governance file names "
                        + "no salt; set pii: { saltEnv: NAME } in it", product.id(), product.file()));
        String salt = environment.get(variable);
        if (salt == null || salt.isEmpty()) {
            throw MeshException.invalidInput("%s: hashing its personal data needs a salt in the environment "
                    + "variable %s, which is not set; set it to a secret value (the same on every run, or hashes "
                    + "change) and run again", product.id(), variable);
        }
        Secrets.register(salt);
        return new PiiProtection(product, Optional.of(salt));
    }

    /** The rows as the port publishes them. */
    Dataset<Row> apply(Dataset<Row> rows) {
        if (!protects(product)) {
            return rows;
        }
        List<Column> columns = new ArrayList<>();
        boolean changed = false;
        for (String name : rows.columns()) {
            Optional<ColumnSpec> declared = product.output().column(name);
            Protection protection = declared.map(ColumnSpec::protection).orElse(Protection.NONE);
            Column value = col("`" + name + "`");
            switch (protection) {
                case HASH -> columns.add(sha2(concat(lit(salt.orElseThrow()), value.cast("string")), 256).as(name));
                case REDACT -> columns.add(lit(null).cast(declared.get().type()).as(name));
                case DROP -> { }
                default -> columns.add(value);
            }
            changed |= protection != Protection.NONE;
        }
        return changed ? rows.select(columns.toArray(Column[]::new)) : rows;
    }

    /** Whether the port publishes every value as it is. */
    boolean changesNothing() {
        return !protects(product) || product.output().schema().stream()
                .allMatch(column -> column.protection() == Protection.NONE);
    }

    /**
     * The output columns whose published values are not the real ones (hashed, redacted or dropped), lower case;
     * none for a port of the domain alone. A check of the published table cannot judge them.
     */
    static java.util.Set<String> changedColumns(ProductSpec product) {
        if (!protects(product)) {
            return java.util.Set.of();
        }
        return product.output().schema().stream().filter(column -> column.protection() != Protection.NONE)
                .map(column -> column.name().toLowerCase(java.util.Locale.ROOT))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    private static boolean protects(ProductSpec product) {
        return product.access().visibility() != Visibility.DOMAIN;
    }
}
