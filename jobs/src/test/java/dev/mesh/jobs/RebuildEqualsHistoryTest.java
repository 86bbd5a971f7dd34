package dev.mesh.jobs;

import static dev.mesh.jobs.QualityGateTest.table;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.testing.ProductYaml;
import dev.mesh.spec.testing.TestMesh;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A rebuild equals the history, property by property: random sequences of landing files (new keys, updates of earlier
 * keys, duplicates across files, events out of order, empty files), landed one run at a time (append products
 * sometimes two files a run), through incremental runs, then one {@code --full-refresh} of the same files; the two
 * tables are compared row for row, for every write mode and every template that reads landing files.
 */
class RebuildEqualsHistoryTest {
    private static final int RUNS = 4;
    private static final String EVENTS_HEADER = "order_id,amount,status,op,changed_at\n";

    @TempDir
    Path dir;

    /** A product kind: its spec and how it makes a random file. */
    enum Kind {
        APPEND_INGEST, MERGE_INGEST, MERGE_DEDUPE, CDC, SCD2, APPEND_AGGREGATE
    }

    static Stream<Arguments> sequences() {
        List<Arguments> cases = new ArrayList<>();
        // one sequence per kind in mvn verify, more with -Preliability; each seed is printed with a failure
        int sequences = Integer.getInteger("mesh.rebuild.sequences", 1);
        for (Kind kind : Kind.values()) {
            for (int i = 0; i < sequences; i++) {
                cases.add(Arguments.of(kind, 11L + 18L * i + kind.ordinal()));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("sequences")
    void aFullRefreshProducesTheTableTheIncrementalRunsProduced(Kind kind, long seed) {
        Random random = new Random(seed);
        TestMesh mesh = product(kind).writeTo(TestMesh.in(dir).domain("shop", ShopMesh.DOMAIN));
        int file = 0;
        List<String> landed = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            int files = kind.name().startsWith("APPEND") && random.nextInt(3) == 0 ? 2 : 1;
            for (int i = 0; i < files; i++) {
                String content = file(kind, random, file);
                mesh.land("shop", "orders", String.format("f%02d.csv", file++), content);
                landed.add(content);
            }
            CliHarness.Result result = ShopMesh.run(mesh, "run", "shop.orders");
            assertThat(result.exitCode()).as("seed " + seed + ", run " + run + ", files " + landed + "\n" + result.out()
                    + result.err()).isZero();
        }
        List<String> history = rows(mesh);
        CliHarness.Result rebuild = ShopMesh.run(mesh, "run", "shop.orders", "--full-refresh");
        assertThat(rebuild.exitCode()).as(rebuild.out() + rebuild.err()).isZero();
        assertThat(rows(mesh)).as("seed " + seed + ": the rebuild of files " + landed).isEqualTo(history);

        // a backfill of a range rebuilds exactly those rows the way the history made them
        String range = kind == Kind.APPEND_AGGREGATE ? "status = 'NEW'" : "order_id <= 3";
        CliHarness.Result backfill = ShopMesh.run(mesh, "run", "shop.orders", "--partitions", range);
        assertThat(backfill.exitCode()).as(backfill.out() + backfill.err()).isZero();
        assertThat(rows(mesh)).as("seed " + seed + ": the backfill of " + range + " from files " + landed)
                .isEqualTo(history);
    }

    @org.junit.jupiter.api.Test
    void aRebuildOfAMergeProductWhoseFilesAddAColumnKeepsIt() {
        TestMesh mesh = ShopMesh.csvOrders(dir, "merge", ", onSchemaMismatch: evolve");
        mesh.land("shop", "orders", "f1.csv", "order_id,amount,status\n1,10.00,NEW\n2,20.00,NEW\n");
        assertThat(ShopMesh.run(mesh, "run", "shop.orders").exitCode()).isZero();
        mesh.land("shop", "orders", "f2.csv", "order_id,amount,status,channel\n2,21.00,PAID,web\n3,30.00,NEW,shop\n");
        CliHarness.Result second = ShopMesh.run(mesh, "run", "shop.orders");
        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        List<String> history = rows(mesh);
        assertThat(history).containsExactly("[1,10.00,NEW,null]", "[2,21.00,PAID,web]", "[3,30.00,NEW,shop]");
        CliHarness.Result rebuild = ShopMesh.run(mesh, "run", "shop.orders", "--full-refresh");
        assertThat(rebuild.exitCode()).as(rebuild.out() + rebuild.err()).isZero();
        assertThat(rows(mesh)).isEqualTo(history);
    }

    private static ProductYaml product(Kind kind) {
        List<String> columns = List.of("{ name: order_id, type: bigint }", "{ name: amount, type: \"decimal(10,2)\" }",
                "{ name: status, type: string }");
        String events = "{ source: pos.orders, format: csv, schema: [{ name: order_id, type: bigint }, { name: amount, "
                + "type: \"decimal(10,2)\" }, { name: status, type: string }, { name: op, type: string }, { name: "
                + "changed_at, type: timestamp }] }";
        ProductYaml orders = ProductYaml.product("shop", "orders");
        return switch (kind) {
            case APPEND_INGEST -> orders.files("pos", "{ source: pos.orders, format: csv }").mode("append")
                    .schema(columns);
            case MERGE_INGEST -> orders.files("pos", "{ source: pos.orders, format: csv }").mode("merge")
                    .keys("order_id").schema(columns);
            case MERGE_DEDUPE -> orders.files("pos", events).mode("merge").keys("order_id")
                    .transform("{ template: dedupe, keys: [order_id], orderBy: [changed_at] }")
                    .schema(columns.get(0), columns.get(1), columns.get(2), "{ name: op, type: string }",
                            "{ name: changed_at, type: timestamp }");
            case CDC -> orders.files("pos", events).mode("merge").keys("order_id")
                    .transform("{ template: cdc, operation: op, orderBy: [changed_at] }")
                    .schema(columns.get(0), columns.get(1), columns.get(2), "{ name: changed_at, type: timestamp }");
            case SCD2 -> orders.files("pos", events).mode("merge").keys("order_id", "valid_from")
                    .transform("{ template: scd2, keys: [order_id], validFrom: changed_at }")
                    .schema(columns.get(0), columns.get(1), columns.get(2), "{ name: valid_from, type: timestamp }",
                            "{ name: valid_to, type: timestamp }", "{ name: is_current, type: boolean }");
            case APPEND_AGGREGATE -> orders.files("pos", "{ source: pos.orders, format: csv, schema: [{ name: "
                    + "order_id, type: bigint }, { name: amount, type: \"decimal(10,2)\" }, { name: status, type: "
                    + "string }] }").mode("append")
                    .sql("SELECT status, count(*) AS orders, sum(amount) AS amount FROM pos GROUP BY status")
                    .schema("{ name: status, type: string }", "{ name: orders, type: bigint }",
                            "{ name: amount, type: \"decimal(20,2)\" }");
        };
    }

    /** A random file: keys from a small range (so files update each other's keys), sometimes no rows at all. */
    private static String file(Kind kind, Random random, int number) {
        boolean events = kind == Kind.MERGE_DEDUPE || kind == Kind.CDC || kind == Kind.SCD2;
        StringBuilder text = new StringBuilder(events ? EVENTS_HEADER : "order_id,amount,status\n");
        int rows = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(4);
        List<Integer> keys = new ArrayList<>(List.of(1, 2, 3, 4, 5, 6));
        java.util.Collections.shuffle(keys, random);
        for (int i = 0; i < rows; i++) {
            // a merge product's file holds each key once (more would fail its implied unique check, here and in a
            // rebuild alike); the templates that take events see a key several times in a file
            int key = events && kind != Kind.SCD2 && random.nextBoolean() ? 1 + random.nextInt(6) : keys.get(i);
            String amount = (1 + random.nextInt(50)) + "." + (10 + random.nextInt(90));
            String status = List.of("NEW", "PAID", "SHIPPED").get(random.nextInt(3));
            text.append(key).append(',').append(amount).append(',').append(status);
            if (events) {
                String op = kind == Kind.CDC && random.nextInt(4) == 0 ? "D" : random.nextBoolean() ? "I" : "U";
                // events out of order across files: a later file may carry older times; ties happen
                LocalDateTime at = LocalDateTime.of(2026, 11, 1, 8, 0).plusMinutes(30L * random.nextInt(8))
                        .plusHours(number);
                if (kind == Kind.SCD2) {
                    // a version's key is its key and time: no two rows share one, whatever their order
                    at = at.plusSeconds(number * 10L + i);
                }
                text.append(',').append(op).append(',').append(at);
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static List<String> rows(TestMesh mesh) {
        return table(mesh, "shop/products/orders").collectAsList().stream().map(Row::toString).sorted().toList();
    }
}
