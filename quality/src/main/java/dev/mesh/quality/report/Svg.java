package dev.mesh.quality.report;

import java.util.List;
import java.util.Locale;

/** Small inline SVG line charts: no script, no network, readable in any browser and in print. */
final class Svg {
    static final int WIDTH = 228;
    static final int HEIGHT = 110;
    private static final int LEFT = 42;
    private static final int RIGHT = 8;
    private static final int TOP = 20;
    private static final int BOTTOM = 18;

    private Svg() {}

    /** How a point of a time chart is drawn: a value on the line, or a run that has none, marked as what it was. */
    enum Mark {
        VALUE("", ""), BLOCKED("#dc2626", "blocked"), NOOP("#9ca3af", "nothing new"), FAILED("#7c2d12", "failed");

        private final String color;
        private final String legend;

        Mark(String color, String legend) {
            this.color = color;
            this.legend = legend;
        }
    }

    /** One point of a time chart: when, the value (null for a marked run), how it is drawn, and its tooltip. */
    record Point(java.time.Instant at, Double value, Mark mark, String tip) {}

    /** How a time chart labels its values. */
    enum Unit { COUNT, PERCENT, SECONDS, HOURS, LEVEL }

    private static final java.time.format.DateTimeFormatter AXIS = java.time.format.DateTimeFormatter
            .ofPattern("MM-dd HH:mm").withZone(java.time.ZoneOffset.UTC);

    /**
     * A chart over time: the x axis is the time of each point (first and last labelled, UTC), values joined by a
     * line, runs without a value (blocked, nothing new, failed) marked on the axis in their own colour and never drawn
     * as zero; every point has a tooltip ({@code <title>}, shown on hover with no script).
     */
    static String overTime(String title, List<Point> points, String color, Unit unit) {
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT + 24)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT + 24).append("\">")
                .append("<title>").append(Html.escape(title)).append("</title>")
                .append("<text x=\"4\" y=\"13\" class=\"chart-title\">").append(Html.escape(title)).append("</text>");
        List<Point> valued = points.stream().filter(p -> p.value() != null).toList();
        if (points.isEmpty()) {
            return svg.append("<text x=\"").append(LEFT).append("\" y=\"60\" class=\"muted\">no runs yet</text></svg>")
                    .toString();
        }
        double min = valued.stream().mapToDouble(Point::value).min().orElse(0);
        double max = valued.stream().mapToDouble(Point::value).max().orElse(1);
        if (unit == Unit.PERCENT || unit == Unit.LEVEL || unit == Unit.COUNT) {
            min = Math.min(min, 0);
        }
        if (unit == Unit.LEVEL) {
            max = 1;
        }
        if (max - min < 1e-9) {
            max = min + (min == 0 ? 1 : Math.abs(min) * 0.1);
        }
        long first = points.get(0).at().toEpochMilli();
        long last = points.get(points.size() - 1).at().toEpochMilli();
        int plotWidth = WIDTH - LEFT - RIGHT;
        int top = TOP + 12;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        int axis = top + plotHeight;
        svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(axis).append("\" x2=\"")
                .append(WIDTH - RIGHT).append("\" y2=\"").append(axis).append("\" class=\"axis\"/>")
                .append("<text x=\"").append(LEFT - 4).append("\" y=\"").append(top + 4)
                .append("\" class=\"tick\" text-anchor=\"end\">").append(tick(max, unit)).append("</text>")
                .append("<text x=\"").append(LEFT - 4).append("\" y=\"").append(axis)
                .append("\" class=\"tick\" text-anchor=\"end\">").append(tick(min, unit)).append("</text>")
                .append("<text x=\"").append(LEFT).append("\" y=\"").append(axis + 12).append("\" class=\"tick\">")
                .append(AXIS.format(points.get(0).at())).append("</text>")
                .append("<text x=\"").append(WIDTH - RIGHT).append("\" y=\"").append(axis + 12)
                .append("\" class=\"tick\" text-anchor=\"end\">").append(AXIS.format(points.get(points.size() - 1)
                        .at())).append(" UTC</text>");
        StringBuilder line = new StringBuilder();
        for (Point point : points) {
            double x = LEFT + (last == first ? plotWidth / 2.0
                    : (double) (point.at().toEpochMilli() - first) * plotWidth / (last - first));
            String tip = "<title>" + Html.escape(AXIS.format(point.at()) + " UTC · " + point.tip()) + "</title>";
            if (point.value() == null) {
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"5\" height=\"5\" "
                        + "fill=\"%s\" class=\"mark-%s\">", x - 2.5, axis - 2, point.mark().color,
                        point.mark().name().toLowerCase(Locale.ROOT))).append(tip).append("</rect>");
                continue;
            }
            double y = top + plotHeight - (point.value() - min) / (max - min) * plotHeight;
            line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\">", x, y,
                    color)).append(tip).append("</circle>");
        }
        if (!line.isEmpty()) {
            svg.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\" points=\"")
                    .append(line.toString().trim()).append("\"/>");
        }
        long marked = points.size() - valued.size();
        svg.append("<text x=\"4\" y=\"26\" class=\"tick\">")
                .append(valued.isEmpty() ? "" : "last " + tick(valued.get(valued.size() - 1).value(), unit) + " · ")
                .append(points.size()).append(points.size() == 1 ? " point" : " points")
                .append(marked == 0 ? "" : ", " + marked + " marked").append("</text></svg>");
        return svg.toString();
    }

    private static String tick(double value, Unit unit) {
        return switch (unit) {
            case PERCENT -> label(value, true);
            case SECONDS -> label(value, false) + "s";
            case HOURS -> label(value, false) + "h";
            case LEVEL -> value >= 1 ? "met" : value <= 0 ? "breach" : "at risk";
            case COUNT -> label(value, false);
        };
    }

    /** The legend of the marks a chart may carry. */
    static String legend() {
        StringBuilder legend = new StringBuilder("<p class=\"legend muted\">on the axis: ");
        for (Mark mark : List.of(Mark.BLOCKED, Mark.NOOP, Mark.FAILED)) {
            legend.append("<span style=\"color:").append(mark.color).append("\">&#9632;</span> ").append(mark.legend)
                    .append(' ');
        }
        return legend.append("· hover a point for its run</p>").toString();
    }

    static String label(double value, boolean percent) {
        if (percent) {
            return String.format(Locale.ROOT, "%.1f%%", value * 100);
        }
        if (Math.abs(value) >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1fM", value / 1_000_000);
        }
        if (Math.abs(value) >= 10_000) {
            return String.format(Locale.ROOT, "%.1fk", value / 1_000);
        }
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
