package dev.mesh.quality.report;

import dev.mesh.quality.sla.SlaStatus;
import dev.mesh.spec.model.AccessSpec;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.FileInputSpec;
import dev.mesh.spec.model.InputSpec;
import dev.mesh.spec.model.JdbcInputSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductInputSpec;
import dev.mesh.spec.model.ProductSpec;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The product catalog page of the report ({@code catalog.html}): for each product what a consumer needs to choose and
 * read it (owner, description, version, who may read it, SLA status, last publication, quality score, schema with
 * personal data and its protection, keys, where to read it, what it reads and who reads it, its ODCS contract), each
 * entry linked from the product's card and back.
 */
final class HtmlCatalog {
    static final String FILE = "catalog.html";

    private HtmlCatalog() {}

    /** The link to a product's catalog entry, from the report. */
    static String entry(ProductId product) {
        return FILE + "#" + product;
    }

    static String render(MeshSpec mesh, List<ProductReport> products, Map<ProductId, String> locations,
            Map<ProductId, String> contracts, Instant at) {
        StringBuilder html = new StringBuilder(32 * 1024);
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(Html.escape(mesh.platform().name())).append(" · product catalog</title>")
                .append("<style>").append(HtmlReport.STYLE).append(STYLE).append("</style></head><body>")
                .append("<header><h1>").append(Html.escape(mesh.platform().name())).append(" · product catalog</h1>")
                .append("<p class=\"muted\">").append(products.size()).append(" products · generated ")
                .append(HtmlReport.TIME.format(at)).append(" UTC · <a href=\"index.html\">quality and SLA report</a>")
                .append("</p><nav class=\"toc\">");
        for (ProductReport product : products) {
            html.append("<a href=\"#").append(Html.escape(product.spec().id())).append("\">")
                    .append(Html.escape(product.spec().id())).append("</a>");
        }
        html.append("</nav></header><main>");
        for (ProductReport product : products) {
            entry(html, mesh, product, locations.get(product.spec().id()), contracts.get(product.spec().id()));
        }
        return html.append("</main></body></html>").toString();
    }

    private static void entry(StringBuilder html, MeshSpec mesh, ProductReport report, String location,
            String contract) {
        ProductSpec product = report.spec();
        SlaStatus sla = report.sla();
        html.append("<article class=\"product entry\" id=\"").append(Html.escape(product.id()))
                .append("\"><div class=\"head\"><h3>").append(Html.escape(product.id()))
                .append(" <span class=\"muted\">v").append(Html.escape(product.version())).append("</span></h3>")
                .append("<span class=\"badge ").append(HtmlReport.css(sla.level())).append("\">")
                .append(sla.level() == SlaStatus.Level.NONE ? "no SLA" : "SLA " + sla.level().display())
                .append("</span></div><p>").append(Html.escape(product.description().isBlank() ? "(no description)"
                        : product.description())).append("</p><dl class=\"facts\">");
        fact(html, "owner", Html.escape(product.owner()));
        fact(html, "readable by", Html.escape(readers(product)));
        fact(html, "last published", sla.lastSuccessAt() == null ? "never"
                : HtmlReport.TIME.format(sla.lastSuccessAt()) + " UTC");
        fact(html, "quality score", sla.qualityScore() == null ? "-"
                : String.format(Locale.ROOT, "%.3f", sla.qualityScore()));
        fact(html, "read it", "<code>" + Html.escape(product.id()) + "</code> in <code>mesh sql</code>, or Delta at "
                + "<code>" + Html.escape(location) + "</code>");
        fact(html, "write mode", Html.escape(product.output().mode().name().toLowerCase(Locale.ROOT))
                + (product.output().keys().isEmpty() ? "" : ", keys " + Html.escape(String.join(", ",
                        product.output().keys()))));
        fact(html, "reads", inputs(product));
        List<MeshSpec.Reader> readers = mesh.readersOf(product.id());
        fact(html, "read by", readers.isEmpty() ? "-" : String.join(", ", readers.stream()
                .map(reader -> link(reader.consumer().id())).toList()));
        html.append("</dl><table class=\"checks\"><caption>schema</caption><thead><tr><th>column</th><th>type</th>")
                .append("<th>required</th><th>classification</th><th>description</th></tr></thead><tbody>");
        for (ColumnSpec column : product.output().schema()) {
            html.append("<tr><td><code>").append(Html.escape(column.name())).append("</code></td><td>")
                    .append(Html.escape(column.type())).append("</td><td>").append(column.required() ? "yes" : "")
                    .append("</td><td>").append(Html.escape(column.classification()))
                    .append(protection(column, product.domain()))
                    .append("</td><td>").append(Html.escape(column.description())).append("</td></tr>");
        }
        html.append("</tbody></table><p class=\"links\"><a href=\"index.html#").append(Html.escape(product.id()))
                .append("\">quality and SLA</a>");
        if (contract != null) {
            html.append(" · <a href=\"").append(Html.escape(contract)).append("\">data contract (ODCS v3.1.0)</a>");
        }
        html.append("</p></article>");
    }

    private static String protection(ColumnSpec column, String domain) {
        return switch (column.protection()) {
            case NONE -> "";
            case HASH -> " (hashed outside " + Html.escape(domain) + ")";
            case REDACT -> " (redacted outside " + Html.escape(domain) + ")";
            case DROP -> " (not published outside " + Html.escape(domain) + ")";
        };
    }

    private static void fact(StringBuilder html, String name, String valueHtml) {
        html.append("<dt>").append(name).append("</dt><dd>").append(valueHtml).append("</dd>");
    }

    private static String readers(ProductSpec product) {
        AccessSpec access = product.access();
        return switch (access.visibility()) {
            case PUBLIC -> "every domain";
            case DOMAIN -> "domain " + product.domain() + " only";
            default -> product.domain() + ", " + String.join(", ", access.consumers());
        };
    }

    private static String inputs(ProductSpec product) {
        if (product.inputs().isEmpty()) {
            return "-";
        }
        return String.join(", ", product.inputs().stream().map(HtmlCatalog::input).toList());
    }

    private static String input(InputSpec input) {
        if (input instanceof ProductInputSpec upstream) {
            return link(upstream.product()) + upstream.major().map(major -> "@" + major).orElse("");
        }
        if (input instanceof FileInputSpec files) {
            return "source " + Html.escape(files.source()) + " (" + files.format().name().toLowerCase(Locale.ROOT)
                    + " files)";
        }
        JdbcInputSpec jdbc = (JdbcInputSpec) input;
        return "database " + Html.escape(jdbc.table().orElse("query"));
    }

    private static String link(ProductId product) {
        return "<a href=\"#" + Html.escape(product) + "\">" + Html.escape(product) + "</a>";
    }

    private static final String STYLE = """
            .toc{display:flex;flex-wrap:wrap;gap:6px 14px;margin-top:8px}.entry{margin-top:16px;max-width:1100px}
            .facts{display:grid;grid-template-columns:140px 1fr;gap:4px 12px;margin:8px 0}
            .facts dt{color:var(--muted)}.facts dd{margin:0}code{font-size:12px;background:#f1f5f9;padding:0 3px;
            border-radius:3px}.links{margin:10px 0 0}a{color:#1d4ed8}
            """;
}
