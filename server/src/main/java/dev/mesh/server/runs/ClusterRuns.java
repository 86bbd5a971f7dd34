package dev.mesh.server.runs;

import static java.util.Objects.requireNonNull;

import dev.mesh.error.ErrorCode;
import dev.mesh.error.MeshException;
import dev.mesh.runtime.ledger.AuditRecord;
import dev.mesh.runtime.ledger.DirectPlatformTables;
import dev.mesh.runtime.ledger.LedgerRow;
import dev.mesh.runtime.ledger.RunsTable;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.runtime.result.RunUsage;
import dev.mesh.runtime.run.RunObserver;
import dev.mesh.runtime.spi.GateResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.apache.spark.launcher.SparkAppHandle;
import org.apache.spark.launcher.SparkLauncher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on a cluster: each run is {@code spark-submit} of the mesh jar ({@code MeshSubmitMain}, which is
 * {@code mesh run}) started and followed with Spark's own launcher, under the principal that asked for it, with the
 * run id the queue gave it. Its stages are the application's states (submitted, running, finished); its result is
 * the run's row in the runs ledger, which the job writes as every run does. Cancelling stops the application.
 */
public final class ClusterRuns implements RunQueue.Executor {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRuns.class);
    private static final String MAIN = "dev.mesh.jobs.MeshSubmitMain";

    private final Settings settings;
    private final DirectPlatformTables tables;
    private final Clock clock;
    private final Map<String, SparkAppHandle> handles = new ConcurrentHashMap<>();

    /** Where Spark and the mesh jar are, the cluster's master, the platform file, the job's environment. */
    public record Settings(Path sparkHome, Path jar, String master, Path platformFile, Map<String, String> variables,
            Map<String, String> conf, Path logs) {
        public Settings {
            requireNonNull(sparkHome, "sparkHome is null");
            requireNonNull(jar, "jar is null");
            requireNonNull(master, "master is null");
            requireNonNull(platformFile, "platformFile is null");
            variables = Map.copyOf(variables);
            conf = Map.copyOf(conf);
            requireNonNull(logs, "logs is null");
        }
    }

    public ClusterRuns(Settings settings, DirectPlatformTables tables, Clock clock) {
        this.settings = requireNonNull(settings, "settings is null");
        this.tables = requireNonNull(tables, "tables is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Whether a master names a cluster (the runs then go through spark-submit rather than the server's session). */
    public static boolean isCluster(String master) {
        return master.startsWith("spark://") || master.startsWith("yarn") || master.startsWith("k8s://");
    }

    @Override
    public RunResult execute(ServerRun run, RunObserver observer) {
        Instant started = clock.instant();
        Map<String, String> environment = new HashMap<>(settings.variables());
        environment.put(AuditRecord.PRINCIPAL_ENV, run.principal());
        List<String> args = new ArrayList<>(List.of("--platform", settings.platformFile().toString(),
                run.product().toString(), "--run-id", run.id()));
        if (run.force()) {
            args.add("--force");
        }
        if (run.fullRefresh()) {
            args.add("--full-refresh");
        }
        SparkLauncher launcher = new SparkLauncher(environment).setSparkHome(settings.sparkHome().toString())
                .setAppResource(settings.jar().toString()).setMainClass(MAIN).setMaster(settings.master())
                .setDeployMode("client").setAppName("mesh run " + run.product())
                .redirectOutput(settings.logs().resolve("run-" + run.id() + ".log").toFile()).redirectError()
                .addAppArgs(args.toArray(String[]::new));
        settings.conf().forEach(launcher::setConf);
        CountDownLatch ended = new CountDownLatch(1);
        SparkAppHandle handle;
        try {
            handle = launcher.startApplication(new SparkAppHandle.Listener() {
                @Override
                public void stateChanged(SparkAppHandle app) {
                    try {
                        observer.stage(run.id(), run.product(), app.getState().name().toLowerCase(Locale.ROOT));
                    } catch (MeshException cancelled) {
                        app.kill();
                    }
                    if (app.getState().isFinal()) {
                        ended.countDown();
                    }
                }

                @Override
                public void infoChanged(SparkAppHandle app) {}
            });
        } catch (IOException e) {
            throw MeshException.infrastructure("cannot start spark-submit from " + settings.sparkHome() + ": "
                    + e.getMessage(), e);
        }
        handles.put(run.id(), handle);
        try {
            ended.await();
        } catch (InterruptedException e) {
            handle.kill();
            Thread.currentThread().interrupt();
        } finally {
            handles.remove(run.id());
        }
        String state = handle.getState().name();
        return recorded(run).orElseGet(() -> new RunResult(run.id(), run.product(), null, null, null,
                RunStatus.FAILED, started, clock.instant(), 0, 0, 0, null, List.of(), Map.of(), GateResult.EMPTY,
                RunUsage.NONE, run.product() + ": the cluster application ended " + state + " without recording the "
                        + "run; its log is " + settings.logs().resolve("run-" + run.id() + ".log"),
                state.equals("KILLED") ? ErrorCode.CANCELLED : ErrorCode.INFRASTRUCTURE, List.of()));
    }

    @Override
    public void interrupt(ServerRun run) {
        SparkAppHandle handle = handles.get(run.id());
        if (handle != null) {
            LOG.info("stopping the cluster application of run {}", run.id());
            handle.kill();
        }
    }

    /** The run as the job recorded it in the runs ledger. */
    private Optional<RunResult> recorded(ServerRun run) {
        List<LedgerRow> rows = tables.rows(RunsTable.TABLE, row -> run.id().equals(row.string("run_id")));
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        LedgerRow row = rows.get(0);
        String code = row.string("error_code");
        return Optional.of(new RunResult(run.id(), run.product(), row.string("spec_version"), row.string("spec_hash"),
                row.string("run_key"), RunStatus.valueOf(row.string("status")), row.instant("started_at"),
                row.instant("finished_at"), row.number("rows_in"), row.number("rows_out"),
                row.number("rows_quarantined"), row.number("output_version"), List.of(), Map.of(), GateResult.EMPTY,
                RunUsage.NONE, row.string("error"), code == null ? null : ErrorCode.valueOf(code), List.of()));
    }
}
