package dev.mesh.runtime;

import static java.util.Objects.requireNonNull;

import dev.mesh.error.MeshException;
import dev.mesh.error.Secrets;
import dev.mesh.runtime.catalog.CatalogSearch;
import dev.mesh.runtime.catalog.DomainCatalog;
import dev.mesh.runtime.ingest.PublishedContract;
import dev.mesh.runtime.ledger.AccessRequestTable;
import dev.mesh.runtime.ledger.AccessRequests;
import dev.mesh.runtime.ledger.AuditRecord;
import dev.mesh.runtime.ledger.AuditTable;
import dev.mesh.runtime.ledger.DirectPlatformTables;
import dev.mesh.runtime.ledger.PlatformTables;
import dev.mesh.runtime.ledger.RunsTable;
import dev.mesh.runtime.ledger.UsageTable;
import dev.mesh.runtime.provision.HadoopZoneProvisioner;
import dev.mesh.runtime.provision.ProvisionReport;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.run.AuditListener;
import dev.mesh.runtime.run.Extensions;
import dev.mesh.runtime.run.MeshRunner;
import dev.mesh.runtime.run.ProductMaintenance;
import dev.mesh.runtime.run.ProductRunner;
import dev.mesh.runtime.run.RunObserver;
import dev.mesh.runtime.run.RunOptions;
import dev.mesh.runtime.run.SchemaCompatibility;
import dev.mesh.runtime.spark.MeshSparkSessions;
import dev.mesh.runtime.storage.StorageAccess;
import dev.mesh.runtime.storage.StorageBackends;
import dev.mesh.runtime.storage.StorageConfigurer;
import dev.mesh.runtime.zone.ZoneLayout;
import dev.mesh.spec.SpecLoad;
import dev.mesh.spec.SpecLoader;
import dev.mesh.spec.model.AccessGrants;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.GovernanceSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.NearestNames;
import dev.mesh.spec.model.OutputContract;
import dev.mesh.spec.model.PlatformSpec;
import dev.mesh.spec.model.PolicyRule;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.model.ServerSpec;
import dev.mesh.spec.model.StorageSpec;
import dev.mesh.spec.validation.ProductGraph;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform runtime behind one front door, which the CLI, spark-submit's main and the server call: open a
 * platform (its specs, loaded and validated once without Spark), provision its zones, run products (one, several, all,
 * inputs first), and reach its platform tables and catalog. Spark starts only when something needs it; credentials
 * come from the variables handed in and never leave. Not thread-safe: one caller at a time.
 *
 * <pre>{@code
 * try (Mesh mesh = Mesh.at(Path.of("examples/platform.yaml")).variables(System.getenv()).open()) {
 *     List<RunResult> results = mesh.run(mesh.graph().all(), RunOptions.DEFAULT, 1, RunObserver.NONE, r -> { });
 * }
 * }</pre>
 */
public final class Mesh implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Mesh.class);

    private final Settings settings;
    private MeshSpec spec;
    private Map<ProductId, String> refused = Map.of();
    private boolean partial;
    private SparkSession spark;
    private StorageAccess storage;

    private Mesh(Settings settings) {
        this.settings = settings;
    }

    /** A mesh whose {@code platform.yaml} is {@code platformFile}; the builder sets the rest. */
    public static Builder at(Path platformFile) {
        return new Builder(platformFile);
    }

    /**
     * The specs as loaded, with their problems: what {@code validate} reports. The consumers that access requests
     * granted are part of them; when the grants cannot be read (the store is down), the specs load without them,
     * which refuses more, never less.
     */
    public SpecLoad load() {
        SpecLoader loader = SpecLoader.create();
        return loader.load(settings.platformFile(), settings.storageRoot(), grants(loader));
    }

    /**
     * The specs as they would load with {@code content} as the spec file {@code file} (a proposed change, which need
     * not exist on disk yet), with the access grants in force: what a pull request's check reports.
     */
    public SpecLoad loadProposing(Path file, String content) {
        SpecLoader loader = SpecLoader.create().proposing(file, content);
        return loader.load(settings.platformFile(), settings.storageRoot(), grants(loader));
    }

    /** The consumers approved access requests grant, read without Spark (none before the first request). */
    private AccessGrants grants(SpecLoader loader) {
        return accessRequestTables(loader).map(AccessRequests::grants).orElse(AccessGrants.NONE);
    }

    /** Every access request, oldest first (none before the first), read without Spark. */
    public List<AccessRequests.Request> accessRequests() {
        return accessRequestTables(SpecLoader.create())
                .map(tables -> new AccessRequests(tables, settings.clock()).all()).orElse(List.of());
    }

    /**
     * The platform tables, when the access requests' table is there and readable: found from the platform file
     * alone (the rest of the specs may depend on the grants), a missing local table seen without starting Hadoop.
     */
    private Optional<DirectPlatformTables> accessRequestTables(SpecLoader loader) {
        Optional<PlatformSpec> platform = loader.platform(settings.platformFile(), settings.storageRoot());
        if (platform.isEmpty()) {
            return Optional.empty();
        }
        StorageSpec storageSpec = settings.storage().orElse(platform.get().storage());
        ZoneLayout layout = new ZoneLayout(storageSpec);
        String table = layout.platformTable(AccessRequestTable.TABLE.name());
        URI uri = URI.create(table);
        if ("file".equals(uri.getScheme()) && !Files.isDirectory(Path.of(uri).resolve("_delta_log"))) {
            return Optional.empty();
        }
        try {
            Configuration hadoop = StorageConfigurer.hadoopConfiguration(platform.get().sparkConf(), storageSpec,
                    StorageBackends.of(storageSpec).credentials(storageSpec, settings.variables()));
            DirectPlatformTables tables = new DirectPlatformTables(hadoop, layout);
            return tables.exists(AccessRequestTable.TABLE) ? Optional.of(tables) : Optional.empty();
        } catch (RuntimeException e) {
            LOG.warn("the access requests in {} cannot be read; the specs load without their grants: {}", table,
                    Secrets.redact(e.getMessage()));
            return Optional.empty();
        }
    }

    /**
     * The valid mesh. When specs have problems only in product and domain files, the rest of the mesh: the products
     * concerned and their consumers are left out ({@link #refusedSpecs}) and a warning names them, so one bad spec
     * does not stop the others. Fails with every problem otherwise (the platform or governance file). Its secrets are
     * registered for redaction.
     */
    public MeshSpec spec() {
        if (spec == null) {
            SpecLoad load = load();
            MeshSpec loaded;
            if (load.problems().isEmpty() || load.isolated().isEmpty()) {
                loaded = load.orThrow();
            } else {
                loaded = load.isolated().get().mesh();
                refused = load.isolated().get().refused();
                partial = true;
                LOG.warn("specs have problems (mesh validate lists them); left out with the products that read "
                        + "them: {}", refused.isEmpty() ? "no product" : String.join(", ",
                                refused.keySet().stream().map(ProductId::toString).toList()));
            }
            spec = settings.storage().map(other -> loaded.withPlatform(loaded.platform().withStorage(other)))
                    .orElse(loaded);
            Secrets.registerAll(settings.variables(), spec.secretVariables());
        }
        return spec;
    }

    /**
     * The mesh only when every spec is valid; fails with every problem otherwise, where {@link #spec} would leave the
     * products concerned out ({@code mesh serve} keeps serving its last valid mesh instead).
     */
    public MeshSpec wholeSpec() {
        MeshSpec mesh = spec();
        if (partial) {
            load().orThrow();
        }
        return mesh;
    }

    /**
     * The products {@link #spec} left out because their specs, their domain's or an input's have problems, each with
     * the reason; empty when the mesh is valid.
     */
    public Map<ProductId, String> refusedSpecs() {
        spec();
        return refused;
    }

    /** Whether the platform file exists at all. */
    public boolean hasPlatform() {
        return Files.isRegularFile(settings.platformFile());
    }

    public ProductGraph graph() {
        return new ProductGraph(spec());
    }

    /** Fails, naming the nearest domain, unless the mesh has a domain of this name; {@code what} prefixes. */
    public void requireDomain(String name, String what) {
        if (spec().domain(name).isEmpty()) {
            throw MeshException.invalidInput("%sno domain '%s' in the mesh%s", what, name, NearestNames.suggestion(
                    name, spec().domains().stream().map(DomainSpec::name).toList()));
        }
    }

    public ZoneLayout zones() {
        return new ZoneLayout(spec().platform().storage());
    }

    /** The storage with its credentials resolved from the variables (before Spark starts). */
    public StorageAccess storage() {
        if (storage == null) {
            StorageSpec storageSpec = spec().platform().storage();
            storage = new StorageAccess(storageSpec, StorageBackends.of(storageSpec).credentials(storageSpec,
                    settings.variables()));
        }
        return storage;
    }

    /** The environment variables the specs name, with those the caller added. */
    public Map<String, String> variables() {
        return settings.variables();
    }

    public Clock clock() {
        return settings.clock();
    }

    /** The session, started on first use with the platform's settings and the storage's credentials. */
    public SparkSession spark() {
        if (spark == null) {
            StorageAccess access = storage();
            spark = settings.sparkFactory().apply(spec().platform());
            StorageConfigurer.apply(spark, spec().platform().storage(), access.credentials());
        }
        return spark;
    }

    /** The session, once the mesh's buckets are known to exist and accept the credentials. */
    public SparkSession verifiedSpark() {
        storage().verify(spec());
        return spark();
    }

    /** A session for work that needs no mesh (profiling a file): local, with the platform's defaults. */
    public SparkSession defaultSpark() {
        if (spark == null) {
            spark = settings.sparkFactory().apply(new PlatformSpec("mesh",
                    StorageSpec.local(Path.of("").toAbsolutePath().toUri()), "local[*]", Map.of(),
                    Path.of("domains"), List.of(), Optional.empty(), Optional.empty(), ServerSpec.DEFAULT,
                    settings.platformFile()));
        }
        return spark;
    }

    /** The session, with every domain database and published product registered in its catalog. */
    public SparkSession sparkWithCatalog() {
        new DomainCatalog(spark(), zones()).registerAll(spec());
        return spark;
    }

    /**
     * Provisions the mesh's zones and platform tables, and records it in the audit trail: always when asked for
     * ({@code mesh provision}), else when it created something (the work that provisions before it starts).
     */
    public ProvisionReport provision(boolean asked) {
        ProvisionReport report = new HadoopZoneProvisioner(spark(), zones(), storage()).provision(spec());
        if (!asked && report.changedNothing()) {
            return report;
        }
        new PlatformTables(spark(), zones()).audit(List.of(AuditListener.provisioned(settings.variables(),
                settings.clock().instant(), "mesh", report.created().size() + " created, "
                        + report.unchanged().size() + " already there")));
        return report;
    }

    /**
     * The platform tables without Spark (Delta Kernel), once the mesh's buckets are known to exist and accept the
     * credentials: through the session's Hadoop configuration when one is running, else through one of their own.
     */
    public DirectPlatformTables platformTables() {
        return new DirectPlatformTables(verifiedHadoop(), zones());
    }

    /**
     * Each product's declared output against the contract it was last published under, read from its Delta log
     * without Spark ({@code mesh validate --against-published}): the breaking changes, the downstream columns they
     * change, and why a run would refuse it. A new major of an append or merge product is judged as the rebuild it
     * needs. Products never published are left out.
     */
    public Map<ProductId, SchemaCompatibility.Verdict> againstPublished(MeshSpec proposed,
            Collection<ProductId> products) {
        Configuration hadoop = verifiedHadoop();
        Map<ProductId, SchemaCompatibility.Verdict> verdicts = new LinkedHashMap<>();
        for (ProductId id : products) {
            Optional<OutputContract> published = PublishedContract.read(hadoop, zones().product(id));
            if (published.isPresent()) {
                verdicts.put(id, SchemaCompatibility.judge(published, proposed.product(id).orElseThrow(), proposed,
                        true));
            }
        }
        return verdicts;
    }

    private Configuration verifiedHadoop() {
        storage().verify(spec());
        return spark != null ? spark.sparkContext().hadoopConfiguration()
                : StorageConfigurer.hadoopConfiguration(spec().platform().sparkConf(), spec().platform().storage(),
                        storage().credentials());
    }

    /**
     * Runs {@code selected}, inputs before their consumers, up to {@code parallel} at once: checks the mesh's buckets
     * exist (a run never creates them), provisions folders and platform tables quietly (idempotent), then runs; each
     * result goes to {@code onFinished} as it ends. What follows runs (alerts, SLA, zone sizes) is the run listeners'.
     */
    public List<RunResult> run(List<ProductId> selected, RunOptions options, int parallel, RunObserver observer,
            Consumer<RunResult> onFinished) {
        refuse(selected, "run");
        SparkSession session = verifiedSpark();
        provision(false);
        ProductRunner runner = new ProductRunner(session, spec(), settings.extensions(), settings.clock(), observer,
                settings.variables());
        return new MeshRunner(runner, spec()).run(selected, options, parallel, onFinished);
    }

    /**
     * Judges each selected product's published table by its current checks, publishing nothing: each result is
     * CHECKED (recorded, with the verdict in its check counts; an error-level failure is its error) or FAILED (not
     * published yet, or unreadable; not recorded). Products whose specs are refused are refused here too.
     */
    public List<RunResult> check(List<ProductId> selected) {
        refuse(selected, "checked");
        ProductRunner runner = runnerAlone();
        return selected.stream().map(id -> runner.check(spec().product(id).orElseThrow())).toList();
    }

    /**
     * Publishes the product's quarantined records (of one run, if given) that its current spec accepts, exactly once,
     * as a run of its own: recorded, audited (who asked, how many records) and seen by the run listeners.
     */
    public RunResult replayQuarantine(ProductId product, Optional<String> ofRun) {
        refuse(List.of(product), "replayed");
        ProductRunner runner = runnerAlone();
        return runner.replayQuarantine(spec().product(product).orElseThrow(), ofRun);
    }

    /** A runner for runs that are not a pipeline's (checks, replays), once the buckets exist and zones exist. */
    private ProductRunner runnerAlone() {
        SparkSession session = verifiedSpark();
        provision(false);
        return new ProductRunner(session, spec(), settings.extensions(), settings.clock(), RunObserver.NONE,
                settings.variables());
    }

    /** A product left out of the mesh for its spec's problems (or an input's) is refused with them, before Spark. */
    private void refuse(List<ProductId> selected, String what) {
        List<String> refusedHere = selected.stream().filter(refusedSpecs()::containsKey)
                .map(id -> id + ": " + refused.get(id)).toList();
        if (!refusedHere.isEmpty()) {
            throw MeshException.invalidInput("not %s: %s; fix it and check with mesh validate", what,
                    String.join("; ", refusedHere));
        }
    }

    /**
     * The platform tables through Spark, once the mesh's buckets are known to exist and accept the credentials: what
     * the ledger queries next to each table read ({@code AuditTable.query}, {@code SlaStatusTable.latest}, ...).
     */
    public PlatformTables ledger() {
        return new PlatformTables(verifiedSpark(), zones());
    }

    /** The audit trail's rows {@code filter} selects, newest first (through Spark: the trail may be large). */
    public List<AuditRecord> audit(AuditTable.Filter filter) {
        return AuditTable.query(ledger(), filter);
    }

    /** What the zones (of one domain, if given) hold as last measured, and what the latest {@code runs} runs used. */
    public UsageTable.Summary usage(Optional<String> domain, int runs) {
        return UsageTable.summary(ledger(), domain, runs);
    }

    /** The products {@code search} selects (from the specs; no Spark). */
    public List<ProductSpec> catalog(CatalogSearch search) {
        return search.find(spec());
    }

    /** The last published run of every product that has one: when, the version made, what each input read. */
    public Map<ProductId, RunsTable.LastPublished> lastPublished() {
        return RunsTable.lastPublished(ledger());
    }

    /**
     * Maintains the products of {@code domains} (every domain when empty): expires old versions and quarantined records
     * as the retention policies in force say, and audits each product's maintenance. One outcome per product. With
     * every domain, the platform tables too: the files their appends merged away, after the default retention.
     */
    public List<ProductMaintenance.Outcome> maintain(Set<String> domains) {
        domains.forEach(domain -> requireDomain(domain, ""));
        // the buckets are checked once; the audit rows below go through the same session
        SparkSession session = verifiedSpark();
        ProductMaintenance maintenance = new ProductMaintenance(session, zones());
        String principal = AuditRecord.principal(settings.variables());
        String policyVersion = spec().policies().governance().map(GovernanceSpec::hash).orElse(null);
        List<ProductMaintenance.Outcome> outcomes = new ArrayList<>();
        List<AuditRecord> audit = new ArrayList<>();
        for (ProductSpec product : spec().products()) {
            if (!domains.isEmpty() && !domains.contains(product.domain())) {
                continue;
            }
            ProductMaintenance.Outcome outcome = maintenance.maintain(product,
                    spec().policies().inForce(product.domain(), PolicyRule.Retention.class),
                    settings.clock().instant());
            outcomes.add(outcome);
            String kept = outcome.quarantine().map(Object::toString).orElse("for good");
            audit.add(new AuditRecord(settings.clock().instant(), principal, AuditRecord.Action.MAINTAIN,
                    product.domain(), product.id().toString(), product.hash(), policyVersion, String.format(
                            Locale.ROOT, "removed %d files, deleted %d quarantined records", outcome.filesRemoved(),
                            outcome.recordsDeleted()), "versions kept " + outcome.versions()
                            + outcome.raisedBecause().map(why -> " (" + why + ")").orElse("")
                            + ", quarantine kept " + kept, null));
        }
        if (domains.isEmpty()) {
            long removed = maintenance.maintainPlatformTables(ProductMaintenance.DEFAULT_VERSIONS);
            audit.add(new AuditRecord(settings.clock().instant(), principal, AuditRecord.Action.MAINTAIN,
                    ZoneLayout.PLATFORM, ZoneLayout.PLATFORM, null, policyVersion, String.format(Locale.ROOT,
                            "removed %d files of the platform tables", removed), "versions kept "
                            + ProductMaintenance.DEFAULT_VERSIONS, null));
        }
        new PlatformTables(session, zones()).audit(audit);
        return outcomes;
    }

    /**
     * The exit code of a command that ran {@code results}: infrastructure failures first (1), then a cancelled run
     * (130), then invalid input (2), then a blocked gate (3), else 0.
     */
    public static int exitCode(List<RunResult> results) {
        return MeshRunner.exitCode(results);
    }

    @Override
    public void close() {
        if (spark != null && settings.stopsSpark()) {
            spark.stop();
        }
    }

    private record Settings(Path platformFile, Optional<URI> storageRoot, Optional<StorageSpec> storage,
            Map<String, String> variables, Function<PlatformSpec, SparkSession> sparkFactory, boolean stopsSpark,
            Extensions extensions, Clock clock) {}

    /** Opens a {@link Mesh}; by default on the platform's own storage, with no variables, a session of its own. */
    public static final class Builder {
        private final Path platformFile;
        private Optional<URI> storageRoot = Optional.empty();
        private Optional<StorageSpec> storage = Optional.empty();
        private final Map<String, String> variables = new HashMap<>();
        private Function<PlatformSpec, SparkSession> sparkFactory = platform -> MeshSparkSessions.create(platform,
                "mesh");
        private boolean stopsSpark = true;
        private Extensions extensions;
        private Clock clock = Clock.systemUTC();

        private Builder(Path platformFile) {
            this.platformFile = requireNonNull(platformFile, "platformFile is null");
        }

        /** Zones under another root than {@code platform.yaml}'s. */
        public Builder storageRoot(Optional<URI> root) {
            this.storageRoot = requireNonNull(root, "root is null");
            return this;
        }

        /** Other storage than {@code platform.yaml}'s altogether (the quickstart's local S3 server). */
        public Builder storage(StorageSpec other) {
            this.storage = Optional.of(other);
            return this;
        }

        /** Environment variables: credentials, salts, connection details. Added to those given before. */
        public Builder variables(Map<String, String> more) {
            this.variables.putAll(more);
            return this;
        }

        /** How a session is made, and whether closing the mesh stops it (a test shares one session). */
        public Builder spark(Function<PlatformSpec, SparkSession> factory, boolean stopsOnClose) {
            this.sparkFactory = requireNonNull(factory, "factory is null");
            this.stopsSpark = stopsOnClose;
            return this;
        }

        public Builder extensions(Extensions loaded) {
            this.extensions = requireNonNull(loaded, "extensions is null");
            return this;
        }

        public Builder clock(Clock time) {
            this.clock = requireNonNull(time, "clock is null");
            return this;
        }

        public Mesh open() {
            return new Mesh(new Settings(platformFile, storageRoot, storage, Map.copyOf(variables), sparkFactory,
                    stopsSpark, extensions != null ? extensions : Extensions.load(), clock));
        }
    }
}
