package dev.mesh.quality.report;

import dev.mesh.error.Secrets;
import dev.mesh.quality.sla.SlaStatus;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The platform's report as one self-contained HTML page: per domain and product, the SLA status and why, the latest
 * check results, charts of rows published, quarantine rate and quality score over the runs, and consumers' feedback.
 * Styles are inline and charts are SVG: the page needs no network and no script.
 */
public final class HtmlReport {
    /** How many of a product's latest feedback entries its card lists. */
    public static final int FEEDBACK_SHOWN = 3;
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private HtmlReport() {}

    /**
     * Writes {@code index.html} and the product catalog {@code catalog.html} into {@code folder}; returns the path of
     * the first. {@code locations}: where each product is stored; {@code contracts}: the relative links of the
     * products' ODCS contracts written next to the report.
     */
    public static Path write(Path folder, MeshSpec mesh, Map<String, List<ProductReport>> byDomain,
            Map<ProductId, String> locations, Map<ProductId, String> contracts, Instant at) {
        try {
            Files.createDirectories(folder);
            Path file = folder.resolve("index.html");
            // the report quotes specs and recorded messages: no secret the process holds goes into it
            Files.writeString(file, Secrets.redact(render(mesh, byDomain, at)), StandardCharsets.UTF_8);
            List<ProductReport> all = byDomain.values().stream().flatMap(List::stream).toList();
            Files.writeString(folder.resolve(HtmlCatalog.FILE), Secrets.redact(HtmlCatalog.render(mesh, all,
                    locations, contracts, at)), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String render(MeshSpec mesh, Map<String, List<ProductReport>> byDomain, Instant at) {
        List<ProductReport> all = byDomain.values().stream().flatMap(List::stream).toList();
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(Html.escape(mesh.platform().name())).append(" · data products</title>")
                .append("<style>").append(STYLE).append("</style></head><body>")
                .append("<header><h1>").append(Html.escape(mesh.platform().name())).append("</h1>")
                .append("<p class=\"muted\">Data products, quality and service levels · generated ")
                .append(TIME.format(at)).append(" UTC · <a href=\"").append(HtmlCatalog.FILE)
                .append("\">product catalog</a></p><div class=\"totals\">");
        for (SlaStatus.Level level : SlaStatus.Level.values()) {
            long count = all.stream().filter(p -> p.sla().level() == level).count();
            if (count > 0 || level != SlaStatus.Level.NONE) {
                html.append("<span class=\"badge ").append(css(level)).append("\">").append(count).append(' ')
                        .append(level == SlaStatus.Level.NONE ? "no SLA" : level.display()).append("</span>");
            }
        }
        html.append("<span class=\"muted\">").append(plural(all.size(), "product")).append(" in ")
                .append(plural(byDomain.size(), "domain")).append("</span></div></header><main>");
        for (Map.Entry<String, List<ProductReport>> domain : byDomain.entrySet()) {
            DomainSpec spec = mesh.domain(domain.getKey()).orElseThrow();
            html.append("<section class=\"domain\" id=\"").append(Html.escape(spec.name())).append("\"><h2>")
                    .append(Html.escape(spec.name())).append("</h2><p class=\"muted\">")
                    .append(Html.escape(joined(spec.description(), "owners " + String.join(", ", spec.owners()))))
                    .append("</p><div class=\"products\">");
            for (ProductReport product : domain.getValue()) {
                card(html, product);
            }
            html.append("</div></section>");
        }
        return html.append("</main></body></html>").toString();
    }

    private static void card(StringBuilder html, ProductReport p) {
        SlaStatus sla = p.sla();
        html.append("<article class=\"product\" id=\"").append(Html.escape(p.spec().id())).append("\"><div class=\"head\">")
                .append("<h3>").append(Html.escape(p.spec().id())).append(" <span class=\"muted\">v")
                .append(Html.escape(p.spec().version())).append("</span></h3><span class=\"badge ")
                .append(css(sla.level())).append("\">")
                .append(sla.level() == SlaStatus.Level.NONE ? "no SLA" : "SLA " + sla.level().display())
                .append("</span></div><p class=\"muted\">")
                .append(Html.escape(joined(p.spec().description(), "owner " + p.spec().owner())))
                .append(" · <a href=\"").append(Html.escape(HtmlCatalog.entry(p.spec().id())))
                .append("\">catalog entry</a></p>");
        if (!sla.reasons().isEmpty()) {
            html.append("<ul class=\"reasons\">");
            sla.reasons().forEach(reason -> html.append("<li>").append(Html.escape(reason)).append("</li>"));
            html.append("</ul>");
        }
        html.append("<dl class=\"measures\">")
                .append(measure("last success", sla.lastSuccessAt() == null ? "never"
                        : TIME.format(sla.lastSuccessAt()) + " UTC"))
                .append(measure("freshness", duration(sla.freshness(), sla.freshnessLimit())))
                .append(measure("quality score", sla.qualityScore() == null ? "-" : String.format(Locale.ROOT, "%.3f%s",
                        sla.qualityScore(), sla.minQualityScore() == null ? "" : " (floor " + sla.minQualityScore()
                                + ")")))
                .append(measure("success rate", sla.successRate() == null ? "-" : String.format(Locale.ROOT,
                        "%.0f%% of %d runs", sla.successRate() * 100, sla.runsInWindow())))
                .append(measure("table rows", p.tableRows() == null ? "-" : String.format(Locale.ROOT, "%,d",
                        p.tableRows())))
                .append("</dl><div class=\"charts\">")
                .append(Svg.overTime("rows written per run", runPoints(p, r -> (double) r.rowsOut(), true, false),
                        "#2563eb", Svg.Unit.COUNT))
                .append(Svg.overTime("quarantine rate", runPoints(p, ProductReport.RunPoint::quarantineRate, false,
                        false), "#d97706", Svg.Unit.PERCENT))
                .append(Svg.overTime("quality score", runPoints(p, ProductReport.RunPoint::qualityScore, false, true),
                        "#059669", Svg.Unit.PERCENT))
                .append(Svg.overTime("run duration", p.history().stream().map(r -> new Svg.Point(r.at(),
                        r.durationSeconds(), Svg.Mark.VALUE, r.status() + " in " + Svg.label(r.durationSeconds(), false)
                                + "s")).toList(), "#6d28d9", Svg.Unit.SECONDS))
                .append(!p.spec().sla().declared() ? "" : Svg.overTime("data age (freshness)", p.slaHistory().stream()
                        .filter(s -> s.freshnessSeconds() != null).map(s -> new Svg.Point(s.at(),
                                s.freshnessSeconds() / 3600.0, Svg.Mark.VALUE, s.level() + ": "
                                        + Svg.label(s.freshnessSeconds() / 3600.0, false) + "h old")).toList(),
                        "#0e7490", Svg.Unit.HOURS))
                .append(!p.spec().sla().declared() ? "" : Svg.overTime("SLA", p.slaHistory().stream()
                        .filter(s -> !s.level().equals("NONE")).map(s -> new Svg.Point(s.at(),
                        switch (s.level()) {
                            case "MET" -> 1.0;
                            case "AT_RISK" -> 0.5;
                            case "BREACHED" -> 0.0;
                            default -> null;
                        }, Svg.Mark.NOOP, s.level().toLowerCase(Locale.ROOT).replace('_', ' ')
                                + (s.reasons().isEmpty() ? "" : ": " + String.join("; ", s.reasons())))).toList(),
                        "#be123c", Svg.Unit.LEVEL))
                .append("</div>").append(Svg.legend());
        html.append("<table class=\"checks\"><caption>latest checks</caption><thead><tr><th>constraint</th>")
                .append("<th>level</th><th></th><th>value</th><th>message</th></tr></thead><tbody>");
        if (p.latestChecks().isEmpty()) {
            html.append("<tr><td colspan=\"5\" class=\"muted\">no checked run yet</td></tr>");
        }
        for (ProductReport.Check check : p.latestChecks()) {
            html.append("<tr class=\"").append(check.passed() ? "pass" : "fail").append("\"><td>")
                    .append(Html.escape(check.constraint())).append("</td><td>")
                    .append(Html.escape(check.level().toLowerCase(Locale.ROOT))).append("</td><td class=\"mark\">")
                    .append(check.passed() ? "&#10003;" : "&#10007;").append("</td><td>")
                    .append(check.value() == null ? "-" : Svg.label(check.value(), false)).append("</td><td>")
                    .append(Html.escape(check.message())).append("</td></tr>");
        }
        html.append("</tbody></table><div class=\"feedback\"><h4>consumer feedback</h4>");
        if (p.feedback().count() == 0) {
            html.append("<p class=\"muted\">none yet · mesh feedback ").append(Html.escape(p.spec().id()))
                    .append(" --rating N --comment TEXT</p>");
        } else {
            double average = p.feedback().averageRating();
            html.append("<p><span class=\"stars\">").append(stars(average)).append("</span> ")
                    .append(String.format(Locale.ROOT, "%.1f of 5 from %d", average, p.feedback().count()))
                    .append("</p><ul>");
            p.feedback().latest().stream().limit(FEEDBACK_SHOWN).forEach(f -> html.append("<li><b>").append(f.rating()).append("/5</b> ")
                    .append(Html.escape(f.comment())).append(" <span class=\"muted\">")
                    .append(f.fromDomain() == null ? "" : "· " + Html.escape(f.fromDomain()) + " ")
                    .append("· ").append(TIME.format(f.recordedAt())).append("</span></li>"));
            html.append("</ul>");
        }
        html.append("</div></article>");
    }

    private static String joined(String first, String second) {
        return first == null || first.isBlank() ? second : first.strip() + " · " + second;
    }

    private static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    /**
     * A run chart's points: a published run's value; a run that published nothing marked as what it was (blocked,
     * nothing new, failed) instead of drawn as zero, and, when {@code batch}, a blocked run too (its rows were not
     * written). A check of the published table (CHECKED) read no batch: it is drawn on {@code tableChecks} charts only.
     */
    private static List<Svg.Point> runPoints(ProductReport p, java.util.function.Function<ProductReport.RunPoint,
            Double> value, boolean batch, boolean tableChecks) {
        List<Svg.Point> points = new java.util.ArrayList<>();
        for (ProductReport.RunPoint run : p.history()) {
            if (run.status().equals("CHECKED") && !tableChecks) {
                continue;
            }
            Svg.Mark mark = switch (run.status()) {
                case "CHECKED" -> Svg.Mark.VALUE;
                case "PUBLISHED" -> Svg.Mark.VALUE;
                case "GATE_FAILED" -> batch ? Svg.Mark.BLOCKED : Svg.Mark.VALUE;
                case "UP_TO_DATE" -> Svg.Mark.NOOP;
                default -> Svg.Mark.FAILED;
            };
            Double shown = mark == Svg.Mark.VALUE ? value.apply(run) : null;
            if (mark == Svg.Mark.VALUE && shown == null) {
                continue;
            }
            String tip = run.status() + (run.status().equals("GATE_FAILED") ? " (blocked: nothing published)"
                    : run.status().equals("UP_TO_DATE") ? " (nothing new)"
                    : run.status().equals("CHECKED") ? " (the whole published table)" : "")
                    + (shown == null ? "" : ": " + Svg.label(shown, !batch));
            points.add(new Svg.Point(run.at(), shown, mark, tip));
        }
        return points;
    }

    private static String measure(String name, String value) {
        return "<div><dt>" + Html.escape(name) + "</dt><dd>" + Html.escape(value) + "</dd></div>";
    }

    private static String duration(Duration value, Duration limit) {
        String text = value == null ? "never published" : dev.mesh.quality.sla.SlaEvaluatorFormat.human(value) + " ago";
        return limit == null ? text : text + " (limit " + dev.mesh.quality.sla.SlaEvaluatorFormat.human(limit) + ")";
    }

    private static String stars(double average) {
        int full = (int) Math.round(average);
        return "&#9733;".repeat(full) + "&#9734;".repeat(5 - full);
    }

    static String css(SlaStatus.Level level) {
        return switch (level) {
            case MET -> "met";
            case AT_RISK -> "risk";
            case BREACHED -> "breached";
            case NONE -> "none";
        };
    }

    static final String STYLE = """
            :root{--fg:#1f2937;--muted:#6b7280;--line:#e5e7eb;--bg:#f8fafc}
            *{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
            color:var(--fg);background:var(--bg)}header{padding:20px 28px;background:#fff;border-bottom:1px solid var(--line)}
            h1{margin:0 0 2px;font-size:22px}h2{margin:26px 0 2px;font-size:18px}h3{margin:0;font-size:15px}
            h4{margin:10px 0 4px;font-size:13px}main{padding:0 28px 40px}.muted{color:var(--muted)}
            .totals{display:flex;gap:8px;align-items:center;margin-top:10px;flex-wrap:wrap}
            .badge{display:inline-block;padding:2px 10px;border-radius:999px;font-size:12px;font-weight:600;
            white-space:nowrap}.met{background:#dcfce7;color:#166534}.risk{background:#fef3c7;color:#92400e}
            .breached{background:#fee2e2;color:#991b1b}.none{background:#e5e7eb;color:#374151}
            .products{display:grid;grid-template-columns:repeat(auto-fill,minmax(740px,1fr));gap:16px;margin-top:10px}
            .product{background:#fff;border:1px solid var(--line);border-radius:10px;padding:14px 16px}
            .head{display:flex;justify-content:space-between;align-items:center;gap:10px}
            .product p{margin:4px 0 8px}.reasons{margin:4px 0 8px;padding-left:18px;color:#991b1b}
            .measures{display:grid;grid-template-columns:repeat(4,1fr);gap:6px;margin:6px 0 10px}
            .measures dt{font-size:11px;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
            .measures dd{margin:0;font-weight:600}.charts{display:flex;flex-wrap:wrap;gap:6px}
            .chart{background:#fcfcfd;border:1px solid var(--line);border-radius:6px;max-width:100%}
            .chart-title{font-size:11px;fill:#374151;font-weight:600}.tick{font-size:10px;fill:#6b7280}
            .legend{font-size:11px;margin:2px 0 8px}
            .axis{stroke:#d1d5db}.checks{width:100%;border-collapse:collapse;margin-top:10px;font-size:12px}
            .checks caption{text-align:left;font-weight:600;font-size:13px;padding:4px 0}
            .checks th,.checks td{text-align:left;padding:3px 6px;border-bottom:1px solid var(--line);vertical-align:top}
            .checks th{color:var(--muted);font-weight:600}.pass .mark{color:#16a34a}.fail .mark{color:#dc2626}
            .fail td{background:#fff7f7}.stars{color:#f59e0b;letter-spacing:1px}.feedback ul{margin:0;padding-left:18px}
            """;
}
