package dev.mesh.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.spark.RunMetricsListener;
import dev.mesh.spec.model.ProductId;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a person watching a long run sees. */
class ProgressReporterTest {
    @Test
    void aRunningProductShowsItsStageRowsTasksAndTime() {
        RunMetricsListener.Snapshot spark = new RunMetricsListener.Snapshot(0, 0, 0, 0, 60_175, 0, 0, 3, 4);
        assertThat(ProgressReporter.describe(new ProductId("sales", "lineitems"), "write", spark,
                Duration.ofMillis(12_345))).isEqualTo("sales.lineitems: write, 60,175 records read, tasks 3/4, 12.3s");
    }
}
