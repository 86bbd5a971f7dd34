package dev.mesh.jobs;

import static dev.mesh.jobs.QualityGateTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run costs follows what it changes: a merge reads and rewrites only the files whose key range the batch
 * overlaps (a batch of keys no file can hold is appended, without a MERGE), and a product's first publication goes in one pass,
 * its table created by the commit that holds its first rows, so that no reader ever sees it empty.
 */
class CostOfTheChangeTest {
    private static final String QUALITY = """
            rowRules:
              - { check: range, column: amount, min: 0 }
            checks:
              - { check: allowedValues, column: status, values: [NEW, PAID] }
            """;

    @TempDir
    Path dir;

    @Test
    void aMergeRewritesOnlyTheFilesWhoseKeysTheBatchOverlaps() {
        TestMesh mesh = ProductYaml.shopOrders().mode("merge").keys("order_id").quality(QUALITY)
                .writeTo(TestMesh.in(dir).domain("shop", ShopMesh.DOMAIN));
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,NEW\n3,30.00,NEW\n");
        // (the first batch creates the table: nothing to merge into)
        run(mesh);
        // new keys beyond the table: no file's statistics overlap [11, 12], so there is nothing to merge into: the
        // batch is appended, in a commit that read the range (no MERGE, no search of the table's files)
        mesh.land("shop", "orders", "day2.csv", "order_id,amount,status\n11,1.00,NEW\n12,2.00,NEW\n");
        run(mesh);
        Row appended = history(mesh).get(1);
        assertThat(appended.<String>getAs("operation")).isEqualTo("WRITE");
        assertThat(appended.<Boolean>getAs("isBlindAppend")).isFalse();
        assertThat(appended.<String, String>getJavaMap(appended.fieldIndex("operationMetrics")))
                .containsEntry("numOutputRows", "2");

        // an update of key 2 and a new key 4: only the first day's file overlaps [2, 4]; the second's is not read
        mesh.land("shop", "orders", "day3.csv", "order_id,amount,status\n2,25.00,PAID\n4,40.00,NEW\n");
        run(mesh);
        assertThat(history(mesh)).extracting(row -> row.<String>getAs("operation"))
                .containsExactly("WRITE", "WRITE", "MERGE");
        Map<String, String> update = merge(mesh, 0);
        assertThat(update).containsEntry("numTargetRowsUpdated", "1").containsEntry("numTargetRowsInserted", "1")
                .containsEntry("numTargetFilesRemoved", "1").containsEntry("numTargetRowsCopied", "2");

        assertThat(table(mesh, "shop/products/orders").orderBy("order_id").collectAsList())
                .extracting(row -> row.getLong(0) + " " + row.getDecimal(1) + " " + row.getString(2))
                .containsExactly("1 10.00 NEW", "2 25.00 PAID", "3 30.00 NEW", "4 40.00 NEW", "11 1.00 NEW",
                        "12 2.00 NEW");
    }

    @Test
    void theFirstPublicationCreatesTheTableInTheCommitThatHoldsItsRows() {
        TestMesh mesh = ProductYaml.shopOrders().mode("append").partitionBy("status").quality(QUALITY)
                .writeTo(TestMesh.in(dir).domain("shop", ShopMesh.DOMAIN));
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,PAID\n"
                + "3,-1.00,NEW\n");

        run(mesh);

        Row runRow = table(mesh, "_platform/runs").collectAsList().get(0);
        assertThat(runRow.<String, Long>getJavaMap(runRow.fieldIndex("stage_ms")))
                .containsKeys("write", "checks", "commit").doesNotContainKeys("read", "transform");
        assertThat(runRow.<Long>getAs("rows_in")).isEqualTo(3);
        assertThat(runRow.<Long>getAs("rows_out")).isEqualTo(2);
        assertThat(runRow.<Long>getAs("rows_quarantined")).isEqualTo(1);
        Path product = mesh.zones().resolve("shop/products/orders");
        List<Row> history = SharedSpark.session().sql("DESCRIBE HISTORY delta.`" + product + "`").collectAsList();
        // one commit: the table's metadata, its protocol and its first files together
        assertThat(history).hasSize(1);
        assertThat(history.get(0).<Long>getAs("version")).isZero();
        assertThat(history.get(0).<String>getAs("userMetadata")).contains(runRow.<String>getAs("run_id"));
        Row detail = SharedSpark.session().sql("DESCRIBE DETAIL delta.`" + product + "`").first();
        assertThat(detail.getList(detail.fieldIndex("partitionColumns"))).containsExactly("status");
        // the table has what one created by Delta's writer in the same session has: properties, protocol
        String written = dir.resolve("written").toString();
        SharedSpark.session().range(1).write().format("delta").save(written);
        Row writerMade = SharedSpark.session().sql("DESCRIBE DETAIL delta.`" + written + "`").first();
        for (String field : List.of("properties", "minReaderVersion", "minWriterVersion", "tableFeatures")) {
            assertThat(detail.<Object>getAs(field)).as(field).isEqualTo(writerMade.getAs(field));
        }
        assertThat(table(mesh, "shop/products/orders").orderBy("order_id").collectAsList())
                .extracting(row -> row.getLong(0) + " " + row.getDecimal(1) + " " + row.getString(2))
                .containsExactly("1 10.00 NEW", "2 20.00 PAID");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").out()).containsPattern("shop +orders +UP_TO_DATE");
    }

    @Test
    void aBlockedFirstPublicationLeavesNoTableAndNoFiles() {
        TestMesh mesh = ProductYaml.shopOrders().mode("overwrite").partitionBy("status").quality(QUALITY)
                .writeTo(TestMesh.in(dir).domain("shop", ShopMesh.DOMAIN));
        mesh.land("shop", "orders", "day1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,LOST\n");

        CliHarness.Result blocked = ShopMesh.run(mesh, "run", "shop.orders");

        assertThat(blocked.exitCode()).as(blocked.out() + blocked.err()).isEqualTo(3);
        // the files it wrote, uncommitted, are deleted with the folders they were in: there is no table at all
        assertThat(mesh.zones().resolve("shop/products/orders")).doesNotExist();
        Row runRow = table(mesh, "_platform/runs").collectAsList().get(0);
        assertThat(runRow.<String>getAs("status")).isEqualTo("GATE_FAILED");
        assertThat(runRow.getJavaMap(runRow.fieldIndex("stage_ms"))).doesNotContainKeys("read", "transform");
    }

    private static void run(TestMesh mesh) {
        CliHarness.Result result = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    }

    /** The product's commits, oldest first. */
    private static List<Row> history(TestMesh mesh) {
        return SharedSpark.session().sql("DESCRIBE HISTORY delta.`" + mesh.zones().resolve("shop/products/orders")
                + "`").orderBy("version").collectAsList();
    }

    /** The operation metrics of the {@code n}-th MERGE of the product (0 first). */
    private static Map<String, String> merge(TestMesh mesh, int n) {
        List<Row> merges = SharedSpark.session().sql("DESCRIBE HISTORY delta.`"
                + mesh.zones().resolve("shop/products/orders") + "`").where("operation = 'MERGE'")
                .orderBy("version").collectAsList();
        assertThat(merges).hasSizeGreaterThan(n);
        Row merge = merges.get(n);
        return merge.getJavaMap(merge.fieldIndex("operationMetrics"));
    }
}
