package dev.mesh.quality.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.quality.feedback.Feedback;
import dev.mesh.quality.feedback.FeedbackSummary;
import dev.mesh.quality.sla.SlaEvaluator;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.testing.SpecFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report page from report values alone: one card per product, charts, and every text from users escaped. */
class HtmlReportTest {
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aCardPerProductWithItsChecksChartsAndEscapedFeedback() throws Exception {
        MeshSpec mesh = SpecFixture.in(dir.resolve("mesh")).load().orThrow();
        ProductSpec orders = mesh.product(new ProductId("shop", "orders")).orElseThrow();
        ProductSpec revenue = mesh.product(new ProductId("finance", "revenue")).orElseThrow();
        List<ProductReport.RunPoint> history = List.of(
                new ProductReport.RunPoint(NOW.minusSeconds(7200), "PUBLISHED", 100, 0.01, 1.0, 12.5),
                new ProductReport.RunPoint(NOW.minusSeconds(3600), "GATE_FAILED", 0, 0.2, 0.5, 9.0));
        ProductReport ordersCard = new ProductReport(orders, SlaEvaluator.evaluate(orders, List.of(), NOW),
                List.of(new ProductReport.Check("allowedValues(status)", "ERROR", false, "Compliance", 0.5,
                        "value 0.5 is not 1.0")),
                history, new FeedbackSummary(3.5, 2, List.of(new Feedback(NOW, orders.id(), "finance", 2,
                        "<script>alert('x')</script> & more"))));
        ProductReport revenueCard = new ProductReport(revenue, SlaEvaluator.evaluate(revenue, List.of(), NOW),
                List.of(), List.of(), FeedbackSummary.NONE);
        Map<String, List<ProductReport>> byDomain = new LinkedHashMap<>();
        byDomain.put("finance", List.of(revenueCard));
        byDomain.put("shop", List.of(ordersCard));

        Path file = HtmlReport.write(dir.resolve("report"), mesh, byDomain,
                Map.of(orders.id(), "file:/zones/shop/products/orders", revenue.id(),
                        "file:/zones/finance/products/revenue"),
                Map.of(orders.id(), "contracts/shop.orders.odcs.yaml"), NOW);

        String html = Files.readString(file);
        assertThat(file.getFileName().toString()).isEqualTo("index.html");
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>")
                .contains("generated 2026-11-25 12:00 UTC", "2 products in 2 domains", "id=\"shop.orders\"",
                        "id=\"finance.revenue\"", "allowedValues(status)", "<svg")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more", "3.5 of 5 from 2")
                .doesNotContain("<script>alert");

        // each card links to its catalog entry, which links back, to its contract, and to what it reads
        assertThat(html).contains("<a href=\"catalog.html#shop.orders\">catalog entry</a>",
                "<a href=\"catalog.html\">product catalog</a>");
        String catalog = Files.readString(file.resolveSibling("catalog.html"));
        assertThat(catalog).contains("<article class=\"product entry\" id=\"shop.orders\">",
                "<article class=\"product entry\" id=\"finance.revenue\">",
                "<a href=\"index.html#shop.orders\">quality and SLA</a>",
                "<a href=\"contracts/shop.orders.odcs.yaml\">data contract (ODCS v3.1.0)</a>",
                "<code>file:/zones/shop/products/orders</code>", "<dt>owner</dt><dd>shop@example.com</dd>")
                .contains("<dt>reads</dt><dd><a href=\"#shop.orders\">shop.orders</a></dd>")
                .contains("<dt>read by</dt><dd><a href=\"#finance.revenue\">finance.revenue</a></dd>")
                .endsWith("</html>");
        assertThat(catalog.split("<a href=\"contracts/", -1)).hasSize(2);
    }
}
