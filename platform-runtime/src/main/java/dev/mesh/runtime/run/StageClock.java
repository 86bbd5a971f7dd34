package dev.mesh.runtime.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Times the stages of a run (read and transform, checks, write, record) for the run record and the summary. */
final class StageClock {
    private final Map<String, Long> millis = new LinkedHashMap<>();
    private final java.util.function.Consumer<String> onStage;

    StageClock(java.util.function.Consumer<String> onStage) {
        this.onStage = onStage;
    }

    <T> T time(String stage, Supplier<T> work) {
        onStage.accept(stage);
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            millis.merge(stage, (System.nanoTime() - start) / 1_000_000, Long::sum);
        }
    }

    void time(String stage, Runnable work) {
        time(stage, () -> {
            work.run();
            return null;
        });
    }

    void record(String stage, long stageMillis) {
        millis.merge(stage, stageMillis, Long::sum);
    }

    Map<String, Long> millis() {
        return millis;
    }
}
