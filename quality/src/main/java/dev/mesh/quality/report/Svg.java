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

    /** A line chart of {@code values} (oldest first) with its title, the range on the axis and the last value. */
    static String line(String title, List<Double> values, String color, boolean percent) {
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\">")
                .append("<title>").append(Html.escape(title)).append("</title>")
                .append("<text x=\"4\" y=\"13\" class=\"chart-title\">").append(Html.escape(title)).append("</text>");
        if (values.isEmpty()) {
            return svg.append("<text x=\"").append(LEFT).append("\" y=\"60\" class=\"muted\">no runs yet</text></svg>")
                    .toString();
        }
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        if (percent) {
            min = Math.min(min, 0);
        }
        if (max - min < 1e-9) {
            max = min + (min == 0 ? 1 : Math.abs(min) * 0.1);
        }
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(HEIGHT - BOTTOM).append("\" x2=\"")
                .append(WIDTH - RIGHT).append("\" y2=\"").append(HEIGHT - BOTTOM).append("\" class=\"axis\"/>")
                .append("<text x=\"").append(LEFT - 4).append("\" y=\"").append(TOP + 4)
                .append("\" class=\"tick\" text-anchor=\"end\">").append(label(max, percent)).append("</text>")
                .append("<text x=\"").append(LEFT - 4).append("\" y=\"").append(HEIGHT - BOTTOM)
                .append("\" class=\"tick\" text-anchor=\"end\">").append(label(min, percent)).append("</text>");
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            double x = LEFT + (values.size() == 1 ? plotWidth / 2.0 : (double) i * plotWidth / (values.size() - 1));
            double y = TOP + plotHeight - (values.get(i) - min) / (max - min) * plotHeight;
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>", x, y,
                    color));
        }
        svg.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\" points=\"")
                .append(points.toString().trim()).append("\"/>")
                .append("<text x=\"").append(WIDTH - RIGHT).append("\" y=\"13\" class=\"tick\" text-anchor=\"end\">")
                .append("last ").append(label(values.get(values.size() - 1), percent)).append(" · ")
                .append(values.size()).append(values.size() == 1 ? " run" : " runs").append("</text></svg>");
        return svg.toString();
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
