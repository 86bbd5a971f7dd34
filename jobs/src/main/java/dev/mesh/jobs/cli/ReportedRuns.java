package dev.mesh.jobs.cli;

import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.run.RunOptions;
import dev.mesh.runtime.spark.RunMetricsListener;
import dev.mesh.spec.model.ProductId;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs as the commands that run products show them: progress on stderr while they run, a log line as each ends. */
final class ReportedRuns {
    // logged under the run command's name, as users and log configurations know it
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    private ReportedRuns() {}

    /**
     * Runs the products through the runtime's facade with progress on stderr and a log line as each ends; shared with
     * the quickstart.
     */
    static List<RunResult> run(MeshContext context, List<ProductId> selected, RunOptions options,
            int parallel, Consumer<RunResult> onFinished) {
        SparkSession spark = context.verifiedSpark();
        AtomicInteger done = new AtomicInteger();
        try (ProgressReporter progress = ProgressReporter.start(RunMetricsListener.of(spark.sparkContext()),
                context.environment().err(), selected.size())) {
            return context.runtime().run(selected, options, parallel, progress, result -> {
                LOG.info("[{}/{}] {} {} in {} ({})", done.incrementAndGet(), selected.size(), result.product(),
                        result.status(), RunSummary.seconds(result.duration()), RunSummary.stages(result));
                onFinished.accept(result);
            });
        }
    }
}
