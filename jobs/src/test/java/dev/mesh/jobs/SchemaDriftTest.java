package dev.mesh.jobs;

import static dev.mesh.jobs.QualityGateTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema drift with {@code onSchemaMismatch: evolve}: a source that starts sending a new column adds it to the product
 * (nullable, additive only), the run records the change and {@code mesh runs} shows it, rows without the column
 * publish it as null, and a column that would change type is refused before anything is written.
 */
class SchemaDriftTest {
    @TempDir
    Path dir;

    @Test
    void aNewCsvColumnIsAddedToAMergedProductRecordedAndNullWhereAbsent() {
        TestMesh mesh = ProductYaml.shopOrders().noInputs()
                .files("pos", "{ source: pos.orders, format: csv, onSchemaMismatch: evolve }")
                .transform("{ template: ingest }").mode("merge").keys("order_id")
                .schema("{ name: order_id, type: bigint, required: true }", "{ name: amount, type: \"decimal(10,2)\" }")
                .writeTo(TestMesh.in(dir).domain("shop", ShopMesh.DOMAIN));
        mesh.land("shop", "orders", "f1.csv", "order_id,amount\n1,10.00\n2,20.00\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();

        mesh.land("shop", "orders", "f2.csv", "channel,order_id,amount\nweb,3,30.00\nshop,2,25.00\n");
        CliHarness.Result added = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(added.exitCode()).as(added.out() + added.err()).isZero();
        assertThat(added.out()).contains("shop.orders: schema changed: added channel string");
        assertThat(rows(mesh)).containsExactly("[1,10.00,null]", "[2,25.00,shop]", "[3,30.00,web]");
        assertThat(table(mesh, "shop/products/orders").schema().apply("channel").nullable()).isTrue();

        // a later file without the column: its rows have none, the others keep theirs; nothing more is added
        mesh.land("shop", "orders", "f3.csv", "order_id,amount\n4,40.00\n");
        CliHarness.Result without = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(without.exitCode()).as(without.out() + without.err()).isZero();
        assertThat(without.out()).doesNotContain("schema changed");
        assertThat(rows(mesh)).containsExactly("[1,10.00,null]", "[2,25.00,shop]", "[3,30.00,web]",
                "[4,40.00,null]");

        List<Row> runs = table(mesh, "_platform/runs").orderBy("started_at").collectAsList();
        assertThat(runs).extracting(row -> row.isNullAt(row.fieldIndex("schema_changes")) ? List.of()
                : row.getList(row.fieldIndex("schema_changes"))).containsExactly(List.of(), List.of("added channel string"),
                List.of());
        assertThat(ShopMesh.run(mesh, "runs", "shop.orders").out()).contains("added channel string");
    }

    @Test
    void parquetColumnsAreAddedWithTheirTypesAndKeepThem() {
        TestMesh mesh = ProductYaml.shopOrders().noInputs()
                .filesBlock("pos", """
                        source: pos.orders
                        format: parquet
                        onSchemaMismatch: evolve
                        schema:
                          - { name: order_id, type: bigint }
                          - { name: amount, type: "decimal(10,2)" }
                        """)
                .transform("{ template: ingest }").mode("append").keys()
                .schema("{ name: order_id, type: bigint }", "{ name: amount, type: \"decimal(10,2)\" }")
                .writeTo(TestMesh.in(dir).domain("shop", ShopMesh.DOMAIN));
        Path landing = mesh.zones().resolve("shop/landing/orders");
        parquet(landing.resolve("f1"), new StructType().add("order_id", DataTypes.LongType)
                .add("amount", DataTypes.createDecimalType(10, 2)).add("units", DataTypes.IntegerType),
                RowFactory.create(1L, new java.math.BigDecimal("10.00"), 3));
        CliHarness.Result added = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(added.exitCode()).as(added.out() + added.err()).isZero();
        assertThat(added.out()).contains("shop.orders: schema changed: added units int");
        assertThat(rows(mesh)).containsExactly("[1,10.00,3]");

        // the same column as text later is a type change, refused before anything is written
        parquet(landing.resolve("f2"), new StructType().add("order_id", DataTypes.LongType)
                .add("amount", DataTypes.createDecimalType(10, 2)).add("units", DataTypes.StringType),
                RowFactory.create(2L, new java.math.BigDecimal("20.00"), "three"));
        CliHarness.Result changed = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(changed.exitCode()).isEqualTo(2);
        assertThat(changed.out() + changed.err()).contains("shop.orders (", "): column 'units' is published as int, "
                + "but this run's rows have it as string; a column added by schema evolution keeps its first type");
        assertThat(rows(mesh)).containsExactly("[1,10.00,3]");
    }

    private static void parquet(Path folder, StructType schema, Row row) {
        Dataset<Row> rows = SharedSpark.session().createDataFrame(List.of(row), schema);
        rows.coalesce(1).write().parquet(folder.toString());
    }

    private static List<String> rows(TestMesh mesh) {
        return table(mesh, "shop/products/orders").orderBy("order_id").collectAsList().stream().map(Row::toString)
                .toList();
    }
}
