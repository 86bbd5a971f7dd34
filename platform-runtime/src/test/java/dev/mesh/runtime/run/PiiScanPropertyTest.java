package dev.mesh.runtime.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.runtime.testing.SharedSpark;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Detection that formatting cannot step around: columns of generated personal data, each value formatted as people
 * write it (a mailbox form, a sentence, surrounding spaces, upper case; phone numbers with spaces, dashes, dots,
 * slashes, parentheses and country codes; IBANs in groups of four; card numbers grouped or stored as numbers), are
 * found at the share the policy asks for. Plain identifiers, amounts and words are not.
 */
class PiiScanPropertyTest {
    static final double SHARE = 0.9;

    @Property(tries = 6)
    void formattedEmailsAreFound(@ForAll("emails") @Size(min = 20, max = 40) List<String> values) {
        assertThat(kinds(values)).contains("e-mail addresses");
    }

    @Property(tries = 6)
    void formattedPhoneNumbersAreFound(@ForAll("phones") @Size(min = 20, max = 40) List<String> values) {
        assertThat(kinds(values)).containsExactly("phone numbers");
    }

    @Property(tries = 6)
    void formattedIbansAreFound(@ForAll("ibans") @Size(min = 20, max = 40) List<String> values) {
        assertThat(kinds(values)).containsExactly("IBANs");
    }

    @Property(tries = 6)
    void formattedCardNumbersAreFound(@ForAll("cards") @Size(min = 20, max = 40) List<String> values) {
        assertThat(kinds(values)).containsExactly("card numbers");
    }

    @Property(tries = 4)
    void cardNumbersStoredAsNumbersAreFound(@ForAll("cardDigits") @Size(min = 20, max = 40) List<String> values) {
        Dataset<Row> longs = SharedSpark.session().createDataset(values.stream().map(Long::valueOf).toList(),
                Encoders.LONG()).toDF("v");
        assertThat(PiiScan.scan(longs, Set.of(), SHARE)).extracting(PiiScan.Detection::kind)
                .containsExactly("card numbers");
        Dataset<Row> decimals = SharedSpark.session().createDataset(values.stream().map(BigDecimal::new).toList(),
                Encoders.DECIMAL()).toDF("v");
        assertThat(PiiScan.scan(decimals, Set.of(), SHARE)).extracting(PiiScan.Detection::kind)
                .containsExactly("card numbers");
    }

    @Test
    void identifiersAmountsAndWordsAreNotPersonalData() {
        assertThat(kinds(List.of("1", "42", "1234567", "99887766", "ORD-2024-0001", "19.99", "2024-01-31",
                "paid", "Berlin", "A-12", "v1.2.3", "user at host"))).isEmpty();
        Dataset<Row> ids = SharedSpark.session().createDataset(List.of(1L, 42L, 1234567L, 1700000000000L),
                Encoders.LONG()).toDF("v");
        assertThat(PiiScan.scan(ids, Set.of(), 0.5)).isEmpty();
    }

    @Test
    void theCasesThatSteppedAroundTheOldPatterns() {
        assertThat(kinds(List.of("Ann Lee <ann@ops-only.example>"))).containsExactly("e-mail addresses");
        assertThat(kinds(List.of("ann@example.com "))).containsExactly("e-mail addresses");
        assertThat(kinds(List.of("030 1234567"))).containsExactly("phone numbers");
        // 13 digits with a valid Luhn check digit, as one international number in ten has: a phone number all the same
        assertThat(kinds(List.of("0049.38.938.2158", "0049169409395"))).containsExactly("phone numbers");
        assertThat(kinds(List.of("DE89 3704 0044 0532 0130 00"))).containsExactly("IBANs");
    }

    static List<String> kinds(List<String> values) {
        Dataset<Row> rows = SharedSpark.session().createDataset(values, Encoders.STRING()).toDF("v");
        return PiiScan.scan(rows, Set.of(), SHARE).stream().map(PiiScan.Detection::kind).collect(Collectors.toList());
    }

    @Provide
    Arbitrary<List<String>> emails() {
        Arbitrary<String> local = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10);
        Arbitrary<String> host = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(2).ofMaxLength(8);
        Arbitrary<String> address = Combinators.combine(local, Arbitraries.of(".", "_", "+", ""), local, host,
                Arbitraries.of("com", "org", "example", "co.uk", "de"))
                .as((a, sep, b, h, tld) -> a + sep + b + "@" + h + "." + tld);
        Arbitrary<String> formatted = Combinators.combine(address, Arbitraries.integers().between(0, 5),
                local).as((a, form, name) -> switch (form) {
                    case 0 -> a;
                    case 1 -> "  " + a + " ";
                    case 2 -> a.toUpperCase(java.util.Locale.ROOT);
                    case 3 -> name + " Lee <" + a + ">";
                    case 4 -> "\"" + name + "\" <" + a + ">";
                    default -> "write to " + a + " please";
                });
        return formatted.list();
    }

    @Provide
    Arbitrary<List<String>> phones() {
        Arbitrary<String> digits = Arbitraries.strings().numeric().ofLength(7);
        return Combinators.combine(Arbitraries.of("+49", "+1", "0049", "+44", "0", "(030)", "030"),
                Arbitraries.integers().between(10, 99), digits, Arbitraries.of(" ", "-", ".", "/", ""),
                Arbitraries.of(" ", "  ", ""))
                .as((code, area, number, sep, pad) -> pad + code + sep + area + sep + number.substring(0, 3) + sep
                        + number.substring(3) + pad)
                .list();
    }

    @Provide
    Arbitrary<List<String>> ibans() {
        Arbitrary<String> body = Arbitraries.strings().numeric().ofLength(18);
        return Combinators.combine(Arbitraries.of("DE", "FR", "GB", "NL", "de"), Arbitraries.integers()
                .between(10, 99), body, Arbitraries.of(" ", ""))
                .as((country, check, number, sep) -> {
                    String iban = country + check + number;
                    StringBuilder grouped = new StringBuilder();
                    for (int i = 0; i < iban.length(); i += 4) {
                        grouped.append(i == 0 ? "" : sep).append(iban, i, Math.min(iban.length(), i + 4));
                    }
                    return grouped.toString();
                })
                .list();
    }

    @Provide
    Arbitrary<List<String>> cards() {
        return Combinators.combine(luhnNumbers(), Arbitraries.of(" ", "-", "", "  "))
                .as((number, sep) -> number.substring(0, 4) + sep + number.substring(4, 8) + sep
                        + number.substring(8, 12) + sep + number.substring(12))
                .list();
    }

    @Provide
    Arbitrary<List<String>> cardDigits() {
        return luhnNumbers().list();
    }

    /** 16-digit numbers with a valid Luhn check digit, starting as card numbers do. */
    static Arbitrary<String> luhnNumbers() {
        return Combinators.combine(Arbitraries.of("4", "51", "55", "37", "6011"),
                Arbitraries.strings().numeric().ofLength(14)).as((prefix, rest) -> {
                    String body = (prefix + rest).substring(0, 15);
                    return body + checkDigit(body);
                });
    }

    static int checkDigit(String body) {
        int sum = 0;
        for (int i = 0; i < body.length(); i++) {
            int digit = body.charAt(body.length() - 1 - i) - '0';
            if (i % 2 == 0) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
        }
        return (10 - sum % 10) % 10;
    }
}
