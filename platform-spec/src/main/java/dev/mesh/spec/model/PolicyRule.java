package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import dev.mesh.spec.model.OutputSpec.WriteMode;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One rule of a governance policy: an id, a severity ({@code error} blocks validate and run, {@code warning} is
 * reported and recorded), the message telling a product's owner how to comply, and what it requires. Global rules
 * come from the governance file; a domain's {@code policies} add rules or restate a global one (same id), which may
 * only tighten it ({@link #loosens}).
 */
public sealed interface PolicyRule {
    String id();

    Severity severity();

    String message();

    /** The rule's kind as written in the spec. */
    String kind();

    /**
     * Why this rule, restated by a domain under the id of {@code global}, would loosen it; empty when it keeps or
     * tightens it. Every kind may not change kind nor lower the severity; kinds with parameters check those too.
     */
    default Optional<String> loosens(PolicyRule global) {
        return weaker(this, global);
    }

    /** How much a finding weighs. */
    enum Severity {
        WARNING, ERROR;

        public String specName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The common part of a rule's loosening check: the same kind, and no lower severity. */
    private static Optional<String> weaker(PolicyRule rule, PolicyRule global) {
        if (!rule.kind().equals(global.kind())) {
            return Optional.of("it is a " + rule.kind() + " rule and the global one a " + global.kind() + " rule");
        }
        if (rule.severity().compareTo(global.severity()) < 0) {
            return Optional.of("its severity " + rule.severity().specName() + " is below the global "
                    + global.severity().specName());
        }
        return Optional.empty();
    }

    /**
     * Metadata every product declares: {@code description}, {@code columnDescriptions} (every output column
     * described), and {@code sla} (only products visible outside their domain promise service levels).
     */
    record RequiredMetadata(String id, Severity severity, String message, Set<String> fields) implements PolicyRule {
        public static final Set<String> FIELDS = Set.of("description", "columnDescriptions", "sla");

        public RequiredMetadata {
            requireNonNull(id, "id is null");
            fields = Set.copyOf(fields);
        }

        @Override
        public String kind() {
            return "requiredMetadata";
        }

        @Override
        public Optional<String> loosens(PolicyRule global) {
            return weaker(this, global).or(() -> fields.containsAll(((RequiredMetadata) global).fields)
                    ? Optional.empty() : Optional.of("it requires fewer fields than " + ((RequiredMetadata) global)
                            .fields.stream().sorted().toList()));
        }
    }

    /**
     * Names products and output columns must match (Java regular expressions, whole name). A domain restating the
     * rule adds its patterns: names must match the global ones and the domain's.
     */
    record Naming(String id, Severity severity, String message, Optional<String> products, Optional<String> columns)
            implements PolicyRule {
        public Naming {
            requireNonNull(id, "id is null");
            requireNonNull(products, "products is null");
            requireNonNull(columns, "columns is null");
        }

        @Override
        public String kind() {
            return "naming";
        }
    }

    /** Every output with keys has its keys checked unique at error level (merge outputs imply that check). */
    record KeysUnique(String id, Severity severity, String message) implements PolicyRule {
        public KeysUnique {
            requireNonNull(id, "id is null");
        }

        @Override
        public String kind() {
            return "keysUnique";
        }
    }

    /** Every column classified {@code pii} in a product visible outside its domain has a {@code protection}. */
    record PiiProtected(String id, Severity severity, String message) implements PolicyRule {
        public PiiProtected {
            requireNonNull(id, "id is null");
        }

        @Override
        public String kind() {
            return "piiProtected";
        }
    }

    /**
     * No column derived from personal data is declared declassified ({@code classification: none} with {@code
     * declassified}): at error, the producer may not take that call alone; at warning, every one is reported and
     * recorded for review.
     */
    record NoDeclassification(String id, Severity severity, String message) implements PolicyRule {
        public NoDeclassification {
            requireNonNull(id, "id is null");
        }

        @Override
        public String kind() {
            return "noDeclassification";
        }
    }

    /**
     * How long a domain's data is kept: old versions of its products stay readable (time travel) for at least
     * {@code versions}, after which {@code mesh maintain} removes their files (Delta VACUUM); quarantined records,
     * which hold raw source data, are deleted once older than {@code quarantine}. A domain may keep versions longer
     * and quarantined records shorter, never the other way.
     */
    record Retention(String id, Severity severity, String message, java.time.Duration versions,
            Optional<java.time.Duration> quarantine) implements PolicyRule {
        /**
         * The least retention of versions a policy may ask: a run still writing its files, or a reader still reading
         * an older version, needs them that long (maintenance raises it further to cover a product's longest run).
         */
        public static final java.time.Duration MIN_VERSIONS = java.time.Duration.ofHours(1);

        public Retention {
            requireNonNull(id, "id is null");
            requireNonNull(versions, "versions is null");
            requireNonNull(quarantine, "quarantine is null");
        }

        @Override
        public String kind() {
            return "retention";
        }

        @Override
        public Optional<String> loosens(PolicyRule global) {
            return weaker(this, global).or(() -> {
                Retention other = (Retention) global;
                if (versions.compareTo(other.versions) < 0) {
                    return Optional.of("it keeps published versions " + versions + ", less than the global "
                            + other.versions);
                }
                if (other.quarantine.isPresent() && (quarantine.isEmpty()
                        || quarantine.get().compareTo(other.quarantine.get()) > 0)) {
                    return Optional.of("it keeps quarantined records " + quarantine.map(Object::toString)
                            .orElse("forever") + ", longer than the global " + other.quarantine.get());
                }
                return Optional.empty();
            });
        }
    }

    /**
     * During each run, string columns not classified {@code pii} are scanned for values that look like personal data
     * (e-mail addresses, phone numbers, IBANs, card numbers that pass the Luhn check); a column where at least
     * {@code minShare} of the values do is a finding. Only the column, the kind and the share are reported, never a
     * value. A domain may lower {@code minShare}, never raise it.
     */
    record PiiDetection(String id, Severity severity, String message, double minShare) implements PolicyRule {
        public static final double DEFAULT_MIN_SHARE = 0.2;

        public PiiDetection {
            requireNonNull(id, "id is null");
        }

        @Override
        public String kind() {
            return "piiDetection";
        }

        @Override
        public Optional<String> loosens(PolicyRule global) {
            return weaker(this, global).or(() -> minShare > ((PiiDetection) global).minShare
                    ? Optional.of("it needs a share of " + minShare + " where the global rule needs "
                            + ((PiiDetection) global).minShare)
                    : Optional.empty());
        }
    }

    /** The output modes products may use. */
    record AllowedModes(String id, Severity severity, String message, Set<WriteMode> modes) implements PolicyRule {
        public AllowedModes {
            requireNonNull(id, "id is null");
            modes = Set.copyOf(modes);
        }

        @Override
        public String kind() {
            return "allowedModes";
        }

        @Override
        public Optional<String> loosens(PolicyRule global) {
            Set<WriteMode> allowed = ((AllowedModes) global).modes;
            return weaker(this, global).or(() -> allowed.containsAll(modes) ? Optional.empty()
                    : Optional.of("it allows modes the global rule does not: " + modes.stream()
                            .filter(mode -> !allowed.contains(mode)).map(m -> m.name().toLowerCase(Locale.ROOT))
                            .sorted().toList()));
        }
    }
}
