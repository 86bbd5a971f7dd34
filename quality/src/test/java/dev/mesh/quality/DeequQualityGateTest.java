package dev.mesh.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.quality.deequ.DeequVerification;
import dev.mesh.runtime.spi.ConstraintOutcome;
import dev.mesh.runtime.spi.GateResult;
import dev.mesh.runtime.testing.SharedSpark;
import dev.mesh.spec.model.CheckSpec;
import dev.mesh.spec.model.CheckSpec.CheckKind;
import dev.mesh.spec.model.CheckSpec.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every kind of dataset-level rule, as a Deequ constraint, on a small dataset whose metrics are known by hand. */
class DeequQualityGateTest {
    static SparkSession spark;
    static Dataset<Row> orders;

    @BeforeAll
    static void data() {
        spark = SharedSpark.session();
        orders = spark.sql("""
                SELECT * FROM VALUES
                  (1, 'NEW',  10.0D, 'A-1', 'a@x.org'),
                  (2, 'PAID', 20.0D, 'A-2', NULL),
                  (3, 'PAID', 30.0D, 'B-3', 'c@x.org'),
                  (4, 'LOST', -5.0D, 'zz',  'd@x.org'),
                  (4, 'NEW',  40.0D, 'A-5', 'e@x.org')
                AS t(id, status, amount, code, email)""").persist(StorageLevel.MEMORY_ONLY());
        orders.count();
    }

    @Test
    void everyKindOfCheckComputesTheRightMetricAndVerdict() {
        List<CheckSpec> checks = List.of(
                check(CheckKind.COMPLETE, "email"),
                check(CheckKind.COMPLETE, "id"),
                bounded(CheckKind.COMPLETENESS, "email", 0.8, null),
                bounded(CheckKind.COMPLETENESS, "email", 0.9, null),
                check(CheckKind.UNIQUE, "id"),
                new CheckSpec(CheckKind.UNIQUE, Level.ERROR, null, List.of("id", "status"), List.of(), null, null,
                        null, null),
                new CheckSpec(CheckKind.ALLOWED_VALUES, Level.ERROR, null, List.of("status"), List.of("NEW", "PAID"),
                        null, null, null, null),
                bounded(CheckKind.ROW_COUNT, null, 1.0, 5.0),
                bounded(CheckKind.ROW_COUNT, null, 6.0, null),
                bounded(CheckKind.MIN, "amount", 0.0, null),
                bounded(CheckKind.MAX, "amount", null, 40.0),
                bounded(CheckKind.MEAN, "amount", 10.0, 20.0),
                bounded(CheckKind.MEAN, "amount", 20.0, null),
                new CheckSpec(CheckKind.PATTERN, Level.ERROR, null, List.of("code"), List.of(), 0.8, null,
                        "^[A-Z]-\\d$", null),
                new CheckSpec(CheckKind.PATTERN, Level.WARNING, "strict_code", List.of("code"), List.of(), null, null,
                        "^[A-Z]-\\d$", null),
                new CheckSpec(CheckKind.SATISFIES, Level.ERROR, "positive", List.of(), List.of(), null, null, null,
                        "amount > 0"));

        GateResult result = DeequVerification.verify(orders, checks);

        Map<String, String> verdicts = result.constraints().stream().collect(Collectors.toMap(
                ConstraintOutcome::constraint, c -> (c.passed() ? "passed " : "failed ") + c.metricName() + " "
                        + c.value(), (a, b) -> a + " | " + b, java.util.LinkedHashMap::new));
        assertThat(verdicts).containsExactly(
                Map.entry("complete(email)", "failed Completeness 0.8"),
                Map.entry("complete(id)", "passed Completeness 1.0"),
                Map.entry("completeness(email)", "passed Completeness 0.8 | failed Completeness 0.8"),
                Map.entry("unique(id)", "failed Uniqueness 0.6"),
                Map.entry("unique(id,status)", "passed Uniqueness 1.0"),
                Map.entry("allowedValues(status)", "failed Compliance 0.8"),
                Map.entry("rowCount", "passed Size 5.0 | failed Size 5.0"),
                Map.entry("min(amount)", "failed Minimum -5.0"),
                Map.entry("max(amount)", "passed Maximum 40.0"),
                Map.entry("mean(amount)", "passed Mean 19.0 | failed Mean 19.0"),
                Map.entry("pattern(code)", "passed PatternMatch 0.8"),
                Map.entry("pattern(strict_code)", "failed PatternMatch 0.8"),
                Map.entry("satisfies(positive)", "failed Compliance 0.8"));
        assertThat(result.blocked()).isTrue();
        ConstraintOutcome min = result.constraints().stream().filter(c -> c.constraint().equals("min(amount)"))
                .findFirst().orElseThrow();
        assertThat(min.message()).isEqualTo("value -5.0 is outside [0.0, +inf]");
        assertThat(result.constraints()).filteredOn(c -> c.constraint().equals("mean(amount)") && !c.passed())
                .extracting(ConstraintOutcome::message).containsExactly("value 19.0 is outside [20.0, +inf]");
        assertThat(result.metrics()).extracting(m -> m.entity() + " " + m.instance() + " " + m.name())
                .contains("Dataset * Size", "Column email Completeness", "Column id Uniqueness",
                        "Multicolumn id,status Uniqueness");
    }

    @Test
    void warningsAloneDoNotBlock() {
        GateResult result = DeequVerification.verify(orders, List.of(
                new CheckSpec(CheckKind.COMPLETE, Level.WARNING, null, List.of("email"), List.of(), null, null, null,
                        null),
                check(CheckKind.COMPLETE, "id")));
        assertThat(result.blocked()).isFalse();
        assertThat(result.passed()).isEqualTo(1);
        assertThat(result.failed()).isEqualTo(1);
    }

    @Test
    void scanBasedRulesShareOneSparkJob() {
        List<CheckSpec> one = List.of(check(CheckKind.COMPLETE, "email"));
        List<CheckSpec> many = new ArrayList<>(List.of(
                check(CheckKind.COMPLETE, "email"), check(CheckKind.COMPLETE, "id"),
                bounded(CheckKind.COMPLETENESS, "email", 0.5, null), bounded(CheckKind.ROW_COUNT, null, 1.0, null),
                bounded(CheckKind.MIN, "amount", 0.0, null), bounded(CheckKind.MAX, "amount", null, 100.0),
                new CheckSpec(CheckKind.ALLOWED_VALUES, Level.ERROR, null, List.of("status"), List.of("NEW"), null,
                        null, null, null),
                new CheckSpec(CheckKind.PATTERN, Level.ERROR, null, List.of("code"), List.of(), null, null, "^A",
                        null),
                new CheckSpec(CheckKind.SATISFIES, Level.ERROR, "positive", List.of(), List.of(), null, null, null,
                        "amount > 0")));
        int jobsForOne = jobsDuring(() -> DeequVerification.verify(orders, one));
        int jobsForNine = jobsDuring(() -> DeequVerification.verify(orders, many));
        assertThat(jobsForNine).isEqualTo(jobsForOne);

        many.add(check(CheckKind.UNIQUE, "id"));
        // a uniqueness rule groups by its columns: one more job, whatever the number of scan-based rules
        int jobsWithUnique = jobsDuring(() -> DeequVerification.verify(orders, many));
        assertThat(jobsWithUnique).isGreaterThan(jobsForOne);
        System.out.printf("Spark jobs of one verification run: %d for 1 rule, %d for 9 scan-based rules, %d with a "
                + "uniqueness rule added%n", jobsForOne, jobsForNine, jobsWithUnique);
    }

    private static int jobsDuring(Runnable work) {
        AtomicInteger jobs = new AtomicInteger();
        SparkListener listener = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart jobStart) {
                jobs.incrementAndGet();
            }
        };
        spark.sparkContext().addSparkListener(listener);
        try {
            work.run();
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        } finally {
            spark.sparkContext().removeSparkListener(listener);
        }
        return jobs.get();
    }

    private static CheckSpec check(CheckKind kind, String column) {
        return new CheckSpec(kind, Level.ERROR, null, column == null ? List.of() : List.of(column), List.of(), null,
                null, null, null);
    }

    private static CheckSpec bounded(CheckKind kind, String column, Double min, Double max) {
        return new CheckSpec(kind, Level.ERROR, null, column == null ? List.of() : List.of(column), List.of(), min,
                max, null, null);
    }
}
