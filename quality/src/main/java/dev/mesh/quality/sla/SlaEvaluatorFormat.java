package dev.mesh.quality.sla;

import java.time.Duration;

/** How durations read in SLA reasons and reports: "26h", "45m", "3d 2h", "12s". */
public final class SlaEvaluatorFormat {
    private SlaEvaluatorFormat() {}

    public static String human(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return (seconds / 60) + "m";
        }
        if (seconds < 72 * 3600) {
            long hours = seconds / 3600;
            long minutes = (seconds % 3600) / 60;
            return minutes == 0 ? hours + "h" : hours + "h " + minutes + "m";
        }
        long days = seconds / 86400;
        long hours = (seconds % 86400) / 3600;
        return hours == 0 ? days + "d" : days + "d " + hours + "h";
    }
}
