package dev.mesh.quality.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.testing.SharedSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Rules suggested from data: what it shows, rounded so that the data passes them, in the spec's YAML. */
class RuleSuggesterTest {
    @Test
    void suggestsWhatTheDataShowsAndOnlyRulesItPasses() {
        Dataset<Row> data = SharedSpark.session().sql("""
                SELECT * FROM VALUES
                  (1, 'NEW', 10.5), (2, 'PAID', -3.25), (3, 'NEW', 7.0),
                  (4, 'PAID', NULL), (5, 'NEW', 1.0), (6, 'NEW', 2.0)
                AS t(id, status, amount)""");
        RuleSuggester.Suggestion suggestion = RuleSuggester.suggest(data);
        assertThat(suggestion.rows()).isEqualTo(6);
        assertThat(RuleSuggester.yaml(suggestion.checks())).isEqualTo("""
                quality:
                  checks:
                    - { check: rowCount, min: 1 }
                    - { check: complete, column: id }
                    - { check: unique, column: id }
                    - { check: min, column: id, atLeast: 0 }
                    - { check: complete, column: status }
                    - { check: allowedValues, column: status, values: [NEW, PAID] }
                    - { check: completeness, column: amount, min: 0.83 }
                    - { check: min, column: amount, atLeast: -4 }
                """);
    }

    @Test
    void valuesThatYamlWouldReadAsSomethingElseAreQuoted() {
        assertThat(RuleSuggester.quote("PAID")).isEqualTo("PAID");
        assertThat(RuleSuggester.quote("yes")).isEqualTo("\"yes\"");
        assertThat(RuleSuggester.quote("1.5")).isEqualTo("\"1.5\"");
        assertThat(RuleSuggester.quote("a: b")).isEqualTo("\"a: b\"");
        assertThat(RuleSuggester.quote("say \"hi\"")).isEqualTo("\"say \\\"hi\\\"\"");
    }
}
