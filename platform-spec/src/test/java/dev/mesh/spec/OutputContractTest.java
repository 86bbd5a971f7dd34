package dev.mesh.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.spec.model.OutputContract;
import dev.mesh.spec.model.OutputContract.Column;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which changes of a published output contract break its consumers, and which do not. */
class OutputContractTest {
    private static final OutputContract PUBLISHED = new OutputContract(1, List.of(
            new Column("order_id", "bigint", true), new Column("amount", "decimal(10,2)", false),
            new Column("status", "string", false), new Column("units", "int", false)), List.of("order_id"));

    @Test
    void everyKindOfBreakingChangeIsNamed() {
        OutputContract next = new OutputContract(1, List.of(
                new Column("order_id", "bigint", true), new Column("amount", "decimal(10,1)", false),
                new Column("state", "string", false), new Column("units", "smallint", true)),
                List.of("order_id", "units"));
        assertThat(PUBLISHED.breakingChanges(next)).containsExactly(
                "column 'amount' changed type from decimal(10,2) to decimal(10,1)",
                "column 'status' removed (or renamed)",
                "column 'units' changed type from int to smallint",
                "column 'units' made required",
                "keys changed from [order_id] to [order_id, units]");
        assertThat(PUBLISHED.breakingChanges(new OutputContract(1, List.of(new Column("order_id", "string", true),
                new Column("amount", "decimal(10,2)", false), new Column("status", "string", false),
                new Column("units", "int", false)), List.of("order_id"))))
                .containsExactly("column 'order_id' changed type from bigint to string");
    }

    @Test
    void addedColumnsWiderTypesAndRelaxedRequirementsDoNotBreak() {
        OutputContract next = new OutputContract(1, List.of(
                new Column("ORDER_ID", "BIGINT", false), new Column("amount", "decimal(12, 3)", false),
                new Column("status", "string", false), new Column("units", "bigint", false),
                new Column("channel", "string", true)), List.of("order_id"));
        assertThat(PUBLISHED.breakingChanges(next)).isEmpty();
        assertThat(OutputContract.widens("float", "double")).isTrue();
        assertThat(OutputContract.widens("integer", "long")).isTrue();
        assertThat(OutputContract.widens("double", "float")).isFalse();
        assertThat(OutputContract.widens("decimal(10,2)", "decimal(11,2)")).isTrue();
        assertThat(OutputContract.widens("decimal(10,2)", "decimal(10,3)")).isFalse();
    }

    @Test
    void aProtectionThatChangesPublishedValuesBreaks() {
        OutputContract next = new OutputContract(1, List.of(
                new Column("order_id", "bigint", true), new Column("amount", "decimal(10,2)", false, "redact"),
                new Column("status", "string", false, "hash")), List.of("order_id"));
        assertThat(PUBLISHED.breakingChanges(next)).containsExactly(
                "column 'amount' published redacted instead of as it is (its values change)",
                "column 'status' published hashed instead of as it is (its values change)",
                "column 'units' removed (or renamed)");
    }

    @Test
    void theMajorVersionIsTheSpecVersionsFirstNumber() {
        assertThat(OutputContract.major("2.1.0")).isEqualTo(2);
        assertThat(OutputContract.major("10.0.0-rc.1")).isEqualTo(10);
        assertThat(OutputContract.major("")).isZero();
    }
}
