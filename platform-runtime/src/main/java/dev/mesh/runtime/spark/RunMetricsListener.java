package dev.mesh.runtime.spark;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.JobExecutionStatus;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * What Spark did for each product run, from Spark's listener: every run sets its run id as the job group of its
 * thread, and this listener sums, per group, the wall time of jobs, the executors' CPU time, the bytes and records
 * read and written, and the tasks finished. Runs use it for the split of their stages, the platform's usage table
 * and the progress shown while they work. One listener per SparkContext.
 */
public final class RunMetricsListener extends SparkListener {
    private static final Map<SparkContext, RunMetricsListener> LISTENERS = new ConcurrentHashMap<>();
    private static final String JOB_GROUP = "spark.jobGroup.id";

    private final Map<Integer, String> jobGroups = new ConcurrentHashMap<>();
    private final Map<Integer, Long> jobStarts = new ConcurrentHashMap<>();
    private final Map<Integer, String> stageGroups = new ConcurrentHashMap<>();
    private final Map<String, Totals> totals = new ConcurrentHashMap<>();
    private final Set<Integer> endedJobs = ConcurrentHashMap.newKeySet();

    private RunMetricsListener() {}

    public static RunMetricsListener of(SparkContext context) {
        return LISTENERS.computeIfAbsent(context, c -> {
            RunMetricsListener listener = new RunMetricsListener();
            c.addSparkListener(listener);
            return listener;
        });
    }

    /** The figures of one group so far. */
    public record Snapshot(long jobMillis, long cpuMillis, long taskMillis, long bytesRead, long recordsRead,
            long bytesWritten, long recordsWritten, long tasksDone, long tasksSubmitted) {
        public static final Snapshot ZERO = new Snapshot(0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private static final class Totals {
        final AtomicLong jobMillis = new AtomicLong();
        final AtomicLong cpuNanos = new AtomicLong();
        final AtomicLong taskMillis = new AtomicLong();
        final AtomicLong bytesRead = new AtomicLong();
        final AtomicLong recordsRead = new AtomicLong();
        final AtomicLong bytesWritten = new AtomicLong();
        final AtomicLong recordsWritten = new AtomicLong();
        final AtomicLong tasksDone = new AtomicLong();
        final AtomicLong tasksSubmitted = new AtomicLong();

        Snapshot snapshot() {
            return new Snapshot(jobMillis.get(), cpuNanos.get() / 1_000_000, taskMillis.get(), bytesRead.get(),
                    recordsRead.get(), bytesWritten.get(), recordsWritten.get(), tasksDone.get(),
                    tasksSubmitted.get());
        }
    }

    @Override
    public void onJobStart(SparkListenerJobStart event) {
        String group = event.properties() == null ? null : event.properties().getProperty(JOB_GROUP);
        if (group != null) {
            jobGroups.put(event.jobId(), group);
            jobStarts.put(event.jobId(), event.time());
        }
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd event) {
        String group = jobGroups.remove(event.jobId());
        Long start = jobStarts.remove(event.jobId());
        if (group != null && start != null) {
            totals(group).jobMillis.addAndGet(event.time() - start);
            endedJobs.add(event.jobId());
        }
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted event) {
        String group = event.properties() == null ? null : event.properties().getProperty(JOB_GROUP);
        if (group != null) {
            stageGroups.put(event.stageInfo().stageId(), group);
            totals(group).tasksSubmitted.addAndGet(event.stageInfo().numTasks());
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd event) {
        String group = stageGroups.get(event.stageId());
        TaskMetrics metrics = event.taskMetrics();
        if (group == null) {
            return;
        }
        Totals t = totals(group);
        t.tasksDone.incrementAndGet();
        if (metrics != null) {
            t.cpuNanos.addAndGet(metrics.executorCpuTime());
            t.taskMillis.addAndGet(metrics.executorRunTime());
            t.bytesRead.addAndGet(metrics.inputMetrics().bytesRead());
            t.recordsRead.addAndGet(metrics.inputMetrics().recordsRead());
            t.bytesWritten.addAndGet(metrics.outputMetrics().bytesWritten());
            t.recordsWritten.addAndGet(metrics.outputMetrics().recordsWritten());
        }
    }

    private Totals totals(String group) {
        return totals.computeIfAbsent(group, g -> new Totals());
    }

    /** What the group's tasks have done so far, without waiting (for progress). */
    public Snapshot now(String group) {
        Totals t = totals.get(group);
        return t == null ? Snapshot.ZERO : t.snapshot();
    }

    /**
     * The group's figures once the listener bus has delivered the end of every job the scheduler already reports as
     * finished (waiting briefly: events are delivered asynchronously).
     */
    public Snapshot settled(SparkContext context, String group) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        for (int jobId : context.statusTracker().getJobIdsForGroup(group)) {
            scala.Option<SparkJobInfo> info = context.statusTracker().getJobInfo(jobId);
            boolean finished = info.isDefined() && info.get().status() != JobExecutionStatus.RUNNING;
            while (finished && !endedJobs.contains(jobId) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return now(group);
    }

    /** Forgets a finished group. */
    public void forget(SparkContext context, String group) {
        totals.remove(group);
        stageGroups.values().removeIf(group::equals);
        for (int jobId : context.statusTracker().getJobIdsForGroup(group)) {
            endedJobs.remove(jobId);
        }
    }
}
