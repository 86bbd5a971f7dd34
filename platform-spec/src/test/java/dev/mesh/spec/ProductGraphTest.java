package dev.mesh.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import dev.mesh.spec.validation.ProductGraph;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order products run in: inputs first, ties by name; the schedule releases consumers as inputs finish. */
class ProductGraphTest {
    private static final ProductId ORDERS = new ProductId("shop", "orders");
    private static final ProductId DAILY = new ProductId("shop", "daily");
    private static final ProductId AUDIT = new ProductId("shop", "audit");
    private static final ProductId TOTAL = new ProductId("shop", "total");

    @TempDir
    Path dir;

    @Test
    void inputsComeFirstAndTiesGoByName() {
        ProductGraph graph = new ProductGraph(mesh());
        assertThat(graph.order(List.of(TOTAL, DAILY, AUDIT, ORDERS))).containsExactly(ORDERS, AUDIT, DAILY, TOTAL);
        assertThat(graph.waves(graph.all())).containsExactly(List.of(ORDERS), List.of(AUDIT, DAILY), List.of(TOTAL));
        // an input that is not selected is not waited for
        assertThat(graph.order(List.of(TOTAL, DAILY))).containsExactly(DAILY, TOTAL);
    }

    @Test
    void theScheduleReleasesAConsumerOnlyWhenAllItsSelectedInputsFinished() {
        ProductGraph.Schedule schedule = new ProductGraph(mesh()).schedule(List.of(ORDERS, DAILY, AUDIT, TOTAL));
        assertThat(schedule.size()).isEqualTo(4);
        assertThat(schedule.next()).isEqualTo(ORDERS);
        assertThat(schedule.hasReady()).isFalse();
        schedule.finished(ORDERS);
        assertThat(schedule.next()).isEqualTo(AUDIT);
        assertThat(schedule.next()).isEqualTo(DAILY);
        schedule.finished(DAILY);
        assertThat(schedule.hasReady()).as("total still waits for audit").isFalse();
        schedule.finished(AUDIT);
        assertThat(schedule.next()).isEqualTo(TOTAL);
        assertThat(schedule.hasReady()).isFalse();
    }

    private MeshSpec mesh() {
        TestMesh mesh = ProductYaml.shopOrders().writeTo(TestMesh.in(dir).domain("shop", TestMesh.SHOP_DOMAIN));
        ProductYaml.product("shop", "daily").reads("orders", "shop.orders")
                .sql("SELECT status, count(*) AS n FROM orders GROUP BY status")
                .schema("{ name: status, type: string }", "{ name: n, type: bigint }").writeTo(mesh);
        ProductYaml.product("shop", "audit").reads("orders", "shop.orders")
                .schema("{ name: order_id, type: bigint }").writeTo(mesh);
        ProductYaml.product("shop", "total").reads("daily", "shop.daily").reads("audit", "shop.audit")
                .sql("SELECT sum(n) AS n FROM daily, audit")
                .schema("{ name: n, type: bigint }").writeTo(mesh);
        return new SpecLoader(dir).load(mesh.platformFile(), Optional.empty()).orThrow();
    }
}
