package dev.mesh.runtime.spark;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.JobExecutionStatus;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;

/**
 * Sums the wall time of Spark jobs per job group (each product run sets its run id as its job group), so that a
 * run can tell the time its Spark jobs took from the time spent on the driver, e.g. a Delta commit after the write
 * job. One listener per SparkContext.
 */
public final class JobTimeListener extends SparkListener {
    private static final Map<SparkContext, JobTimeListener> LISTENERS = new ConcurrentHashMap<>();
    private static final String JOB_GROUP = "spark.jobGroup.id";

    private final Map<Integer, long[]> running = new ConcurrentHashMap<>();
    private final Map<Integer, String> groups = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> millis = new ConcurrentHashMap<>();
    private final Set<Integer> ended = ConcurrentHashMap.newKeySet();

    private JobTimeListener() {}

    public static JobTimeListener of(SparkContext context) {
        return LISTENERS.computeIfAbsent(context, c -> {
            JobTimeListener listener = new JobTimeListener();
            c.addSparkListener(listener);
            return listener;
        });
    }

    @Override
    public void onJobStart(SparkListenerJobStart event) {
        String group = event.properties() == null ? null : event.properties().getProperty(JOB_GROUP);
        if (group != null) {
            groups.put(event.jobId(), group);
            running.put(event.jobId(), new long[] {event.time()});
        }
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd event) {
        long[] start = running.remove(event.jobId());
        String group = groups.remove(event.jobId());
        if (start != null && group != null) {
            millis.computeIfAbsent(group, g -> new AtomicLong()).addAndGet(event.time() - start[0]);
            ended.add(event.jobId());
        }
    }

    /**
     * The summed wall time of the group's finished jobs, after waiting (briefly) for the listener bus to deliver the
     * end of every job the scheduler already reports as finished.
     */
    public long millis(SparkContext context, String group) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        for (int jobId : context.statusTracker().getJobIdsForGroup(group)) {
            scala.Option<SparkJobInfo> info = context.statusTracker().getJobInfo(jobId);
            boolean finished = info.isDefined() && info.get().status() != JobExecutionStatus.RUNNING;
            while (finished && !ended.contains(jobId) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        AtomicLong total = millis.get(group);
        return total == null ? 0 : total.get();
    }

    /** Forgets a finished group. */
    public void forget(SparkContext context, String group) {
        millis.remove(group);
        for (int jobId : context.statusTracker().getJobIdsForGroup(group)) {
            ended.remove(jobId);
        }
    }
}
