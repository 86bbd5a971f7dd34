package dev.mesh.runtime.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesh.error.MeshException;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.StorageSpec;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The zone layout, and the guard that keeps every write inside the writing domain's zone. */
class ZoneLayoutTest {
    final ZoneLayout local = new ZoneLayout(URI.create("file:/var/mesh"));
    final ZoneLayout buckets = new ZoneLayout(new StorageSpec(URI.create("s3a://acme-platform/mesh"),
            StorageSpec.ZoneMode.BUCKET, "acme-{domain}", Optional.empty()));

    @Test
    void localLayout() {
        ProductId orders = new ProductId("sales", "orders");
        assertThat(local.product(orders)).isEqualTo("file:/var/mesh/sales/products/orders");
        assertThat(local.quarantine(orders)).isEqualTo("file:/var/mesh/sales/quarantine/orders");
        assertThat(local.landing("sales", "erp", "2026/*.csv")).isEqualTo("file:/var/mesh/sales/landing/erp/2026/*.csv");
        assertThat(local.platformTable("runs")).isEqualTo("file:/var/mesh/_platform/runs");
    }

    @Test
    void bucketPerDomainLayout() {
        ProductId orders = new ProductId("sales_eu", "orders");
        assertThat(buckets.product(orders)).isEqualTo("s3a://acme-sales-eu/products/orders");
        assertThat(buckets.platformTable("runs")).isEqualTo("s3a://acme-platform/mesh/_platform/runs");
    }

    @Test
    void writesInsideTheZoneAreAllowed() {
        local.requireInsideZone("sales", "file:/var/mesh/sales/products/orders");
        buckets.requireInsideZone("sales", "s3a://acme-sales/quarantine/orders");
    }

    @Test
    void writesOutsideTheZoneAreRefused() {
        assertThatThrownBy(() -> local.requireInsideZone("sales", "file:/var/mesh/finance/products/revenue"))
                .isInstanceOf(MeshException.class)
                .hasMessage("refused to write 'file:/var/mesh/finance/products/revenue': it is outside the zone of "
                        + "domain 'sales' (file:/var/mesh/sales/); a job writes only inside its own domain's zone");
        assertThatThrownBy(() -> local.requireInsideZone("sales", "file:/var/mesh/sales/../finance/products/x"))
                .isInstanceOf(MeshException.class);
        assertThatThrownBy(() -> local.requireInsideZone("sales", "file:/var/mesh/salesforce/products/x"))
                .isInstanceOf(MeshException.class);
        assertThatThrownBy(() -> buckets.requireInsideZone("sales", "s3a://acme-finance/products/revenue"))
                .isInstanceOf(MeshException.class);
        assertThatThrownBy(() -> buckets.requireInsideZone("sales", "s3a://acme-sales-archive/products/x"))
                .isInstanceOf(MeshException.class);
    }
}
