package dev.mesh.runtime.run;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.ingest.CommitMetadata;
import dev.mesh.runtime.ingest.PublishedContract;
import dev.mesh.runtime.ledger.AuditRecord;
import dev.mesh.runtime.spark.DeltaTables;
import dev.mesh.runtime.sql.CatalystSqlSyntax;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.GovernanceSpec;
import dev.mesh.spec.model.KeptMajor;
import dev.mesh.spec.model.OutputContract;
import dev.mesh.spec.model.ProductSpec;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Older majors of a product kept beside the current one ({@code versions} in its spec): each in its own table
 * ({@code <zone>/versions/<product>/v<major>}), rewritten from the current major's table at the version each run
 * publishes, into the old major's columns (by name, or by the spec's expression for a column the current output no
 * longer has), so consumers that pin the old major read the same data in the shape they rely on. The rewrite is one
 * commit keyed by the current table's version (Delta skips it when that version was already rewritten); a run that
 * stops between the two commits leaves the old major one version behind until the next run, which rewrites it. Once
 * the deprecation window has ended and no consumer pins the old major any more, a run retires it: its table is
 * deleted and the audit trail says so.
 */
final class KeptMajors {
    // logged under the runner's name, as users and log configurations know it
    private static final Logger LOG = LoggerFactory.getLogger(ProductRunner.class);

    /** One kept major: its table, the contract it publishes under, and the SQL that makes its columns. */
    record Kept(KeptMajor spec, String path, OutputContract contract, List<String> columns) {}

    private KeptMajors() {}

    /**
     * The kept majors a run maintains, checked before it publishes anything: each old column is made from the current
     * output (by name, or by the spec's expression, which Spark analyses here). A kept major whose contract is not
     * known (the product never published it) is left out, as is one already retired.
     */
    static List<Kept> plan(RunScope scope) {
        ProductSpec product = scope.product();
        if (product.keptMajors().isEmpty()) {
            return List.of();
        }
        SparkSession session = scope.session();
        String current = scope.services().zones().product(product.id());
        StructType output = new StructType();
        for (ColumnSpec column : product.output().schema()) {
            output = output.add(column.name(), DataType.fromDDL(column.type()), true);
        }
        List<Kept> kept = new ArrayList<>();
        for (KeptMajor major : product.keptMajors()) {
            String path = scope.services().zones().keptMajor(product.id(), major.major());
            org.apache.hadoop.conf.Configuration hadoop = session.sparkContext().hadoopConfiguration();
            Optional<OutputContract> contract = PublishedContract.read(hadoop, path)
                    .or(() -> PublishedContract.read(hadoop, current).filter(c -> c.major() == major.major()));
            if (contract.isEmpty()) {
                continue;
            }
            List<String> columns = new ArrayList<>();
            for (OutputContract.Column column : contract.get().columns()) {
                String made = major.columns().get(column.name());
                List<String> problems = made == null ? List.of() : new CatalystSqlSyntax().expressionProblems(made);
                if (!problems.isEmpty()) {
                    throw MeshException.invalidInput("%s: versions.%d.columns.%s %s", product.id(), major.major(),
                            column.name(), problems.get(0));
                }
                boolean carried = product.output().schema().stream().anyMatch(c -> c.name().equals(column.name()));
                if (made == null && !carried) {
                    throw MeshException.invalidInput("%s keeps major %d, whose column '%s' the current output no "
                            + "longer has; say how it is made from the current columns: versions.%d.columns.%s "
                            + "(a SQL expression)", product.id(), major.major(), column.name(), major.major(),
                            column.name());
                }
                columns.add("CAST((" + (made == null ? "`" + column.name() + "`" : made) + ") AS " + column.type()
                        + ") AS `" + column.name() + "`");
            }
            try {
                session.createDataFrame(List.<Row>of(), output).selectExpr(columns.toArray(String[]::new)).schema();
            } catch (RuntimeException e) {
                throw MeshException.invalidInput("%s: versions.%d.columns: %s", product.id(), major.major(),
                        dev.mesh.error.PlainMessages.of(e));
            }
            kept.add(new Kept(major, path, contract.get(), columns));
        }
        return kept;
    }

    /**
     * Rewrites each kept major from the current table at {@code version}, then retires those whose window has ended
     * and that no consumer pins. A failure is logged, not the run's: the current major is published, and the next run
     * rewrites the kept ones.
     */
    static void maintain(RunScope scope, List<Kept> kept, long version) {
        for (Kept major : kept) {
            try {
                scope.stages().time("commit", () -> rewrite(scope, major, version));
            } catch (RuntimeException e) {
                LOG.warn("{}: major {} kept beside the current one could not be rewritten from version {}: {}; the "
                        + "next run rewrites it", scope.product().id(), major.spec().major(), version,
                        dev.mesh.error.PlainMessages.of(e));
                continue;
            }
            retireIfDue(scope, major);
        }
    }

    private static void rewrite(RunScope scope, Kept major, long version) {
        ProductSpec product = scope.product();
        SparkSession session = scope.session();
        scope.services().zones().requireInsideZone(product.domain(), major.path());
        CommitMetadata metadata = new CommitMetadata(scope.runId(), "kept-major-of:" + version,
                product.id().toString(), major.contract().major() + ".x (kept beside " + product.version() + ")",
                List.of(), false, java.util.Map.of(), Optional.empty(), major.contract());
        session.read().format("delta").option("versionAsOf", version)
                .load(scope.services().zones().product(product.id()))
                .selectExpr(major.columns().toArray(String[]::new))
                .write().format("delta").mode("overwrite")
                // one rewrite per version of the current table and way of making the old columns: Delta skips a
                // version already rewritten so
                .option("txnAppId", "mesh-kept-" + product.id() + "-v" + major.spec().major() + "-"
                        + Integer.toHexString(major.columns().hashCode()))
                .option("txnVersion", version)
                .option("userMetadata", metadata.json())
                .save(major.path());
    }

    private static void retireIfDue(RunScope scope, Kept major) {
        ProductSpec product = scope.product();
        LocalDate today = LocalDate.ofInstant(scope.now(), ZoneOffset.UTC);
        if (!today.isAfter(major.spec().until())) {
            return;
        }
        List<String> pinned = scope.services().mesh().pinning(product.id(), major.spec().major()).stream()
                .map(Object::toString).toList();
        if (!pinned.isEmpty()) {
            LOG.warn("{}: the window of major {} ended on {}, but {} still read{} it; it is kept until they move to "
                    + "the current major", product.id(), major.spec().major(), major.spec().until(),
                    String.join(", ", pinned), pinned.size() == 1 ? "s" : "");
            return;
        }
        try {
            Path path = new Path(major.path());
            path.getFileSystem(scope.session().sparkContext().hadoopConfiguration()).delete(path, true);
        } catch (IOException e) {
            LOG.warn("{}: major {} could not be retired: {}", product.id(), major.spec().major(), e.getMessage());
            return;
        }
        RunServices services = scope.services();
        String detail = "major " + major.spec().major() + " retired: its window ended on " + major.spec().until()
                + " and no consumer pins it; its table " + major.path() + " was deleted";
        services.tables().audit(List.of(new AuditRecord(scope.now(), AuditRecord.principal(services.environment()),
                AuditRecord.Action.RETIRE_VERSION, product.domain(), product.id().toString(), product.hash(),
                services.mesh().policies().governance().map(GovernanceSpec::hash).orElse(null),
                "major " + major.spec().major(), detail, scope.runId())));
        LOG.info("{}: {}; remove versions.{} from its spec", product.id(), detail, major.spec().major());
    }
}
