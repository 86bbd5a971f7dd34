package dev.mesh.spec.policy;

import dev.mesh.spec.model.AccessSpec.Visibility;
import dev.mesh.spec.model.CheckSpec;
import dev.mesh.spec.model.CheckSpec.CheckKind;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.GovernanceSpec;
import dev.mesh.spec.model.NearestNames;
import dev.mesh.spec.model.OutputSpec.WriteMode;
import dev.mesh.spec.model.PolicyFinding;
import dev.mesh.spec.model.PolicyReport;
import dev.mesh.spec.model.PolicyReport.RuleApplication;
import dev.mesh.spec.model.PolicyRule;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.yaml.YamlDocument;
import dev.mesh.spec.yaml.YamlNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Checks a mesh against its policies (the paper's automated compliance checks), without Spark: each domain's rules
 * are the global ones, tightened by the domain's restatements (a restatement that loosens one is a spec error naming
 * both rules, and the global rule stays), plus the domain's own; every product of the domain is checked against them;
 * and the federated body has a representative of every domain and has approved the policy version in force.
 */
public final class PolicyEngine {
    /** The id of the findings about the federated body itself. */
    static final String BODY_RULE = "federated-body";

    private final Optional<GovernanceSpec> governance;
    private final Optional<YamlNode> governanceRoot;
    private final List<DomainSpec> domains;
    private final List<ProductSpec> products;
    private final Map<Path, YamlDocument> documents;
    private final List<RuleApplication> applications = new ArrayList<>();
    private final List<PolicyFinding> findings = new ArrayList<>();

    public PolicyEngine(Optional<GovernanceSpec> governance, Optional<YamlNode> governanceRoot,
            List<DomainSpec> domains, List<ProductSpec> products, Map<Path, YamlDocument> documents) {
        this.governance = governance;
        this.governanceRoot = governanceRoot;
        this.domains = domains;
        this.products = products;
        this.documents = documents;
    }

    public PolicyReport evaluate() {
        if (governance.isEmpty() && domains.stream().allMatch(domain -> domain.policies().isEmpty())) {
            return PolicyReport.NONE;
        }
        governance.ifPresent(this::checkBody);
        for (DomainSpec domain : domains) {
            List<ProductSpec> own = products.stream().filter(p -> p.domain().equals(domain.name())).toList();
            for (RuleApplication application : rulesOf(domain, own.size())) {
                applications.add(application);
                for (ProductSpec product : own) {
                    check(application.rule(), product, root(product.file()), (node, what) -> findings.add(
                            new PolicyFinding(application.rule().id(), application.rule().severity(), domain.name(),
                                    Optional.of(product.id()), node.locate("[" + application.rule().id() + "] "
                                    + what + ": " + application.rule().message()))));
                }
            }
        }
        return new PolicyReport(governance, applications, findings);
    }

    /** The domain's rules: global ones, tightened where the domain restates them, then the domain's own. */
    private List<RuleApplication> rulesOf(DomainSpec domain, int productCount) {
        List<PolicyRule> global = governance.map(GovernanceSpec::rules).orElse(List.of());
        List<RuleApplication> rules = new ArrayList<>();
        YamlNode policies = root(domain.file()).get("policies");
        for (PolicyRule rule : global) {
            Optional<PolicyRule> restated = domain.policies().stream().filter(r -> r.id().equals(rule.id()))
                    .findFirst();
            if (restated.isEmpty()) {
                rules.add(new RuleApplication(domain.name(), rule, "global", productCount));
                continue;
            }
            Optional<String> loosening = restated.get().loosens(rule);
            if (loosening.isPresent()) {
                policies.element(domain.policies().indexOf(restated.get())).problem("id", "rule '" + rule.id()
                        + "' of domain '" + domain.name() + "' loosens the global rule '" + rule.id() + "' of "
                        + governance.get().file().getFileName() + ": " + loosening.get() + "; a domain may add rules "
                        + "or tighten global ones, never loosen them");
                rules.add(new RuleApplication(domain.name(), rule, "global", productCount));
            } else {
                if (rule instanceof PolicyRule.Naming) {
                    // the domain's patterns come on top of the global ones
                    rules.add(new RuleApplication(domain.name(), rule, "global", productCount));
                }
                rules.add(new RuleApplication(domain.name(), restated.get(), "tightened by the domain",
                        productCount));
            }
        }
        domain.policies().stream().filter(rule -> global.stream().noneMatch(g -> g.id().equals(rule.id())))
                .forEach(rule -> rules.add(new RuleApplication(domain.name(), rule, "the domain's", productCount)));
        return rules;
    }

    /** Reports through {@code violation} each place {@code product} breaks {@code rule}, and what is wrong there. */
    private static void check(PolicyRule rule, ProductSpec product, YamlNode root,
            BiConsumer<YamlNode, String> violation) {
        List<ColumnSpec> columns = product.output().schema();
        YamlNode schema = root.get("output").get("schema");
        boolean outsideDomain = product.access().visibility() != Visibility.DOMAIN;
        if (rule instanceof PolicyRule.RequiredMetadata metadata) {
            if (metadata.fields().contains("description") && product.description().isBlank()) {
                violation.accept(root.get("description"), "the product has no description");
            }
            if (metadata.fields().contains("sla") && outsideDomain && !product.sla().declared()) {
                violation.accept(root.get("sla"), "the product is visible outside its domain ("
                        + visibility(product) + ") and promises no SLA");
            }
            if (metadata.fields().contains("columnDescriptions")) {
                for (int i = 0; i < columns.size(); i++) {
                    if (columns.get(i).description().isBlank()) {
                        violation.accept(schema.element(i).get("description"), "column '" + columns.get(i).name()
                                + "' has no description");
                    }
                }
            }
        } else if (rule instanceof PolicyRule.Naming naming) {
            naming.products().filter(pattern -> !Pattern.matches(pattern, product.id().name())).ifPresent(pattern ->
                    violation.accept(root.get("name"), "product name '" + product.id().name() + "' does not match "
                            + pattern));
            for (int i = 0; i < columns.size(); i++) {
                String name = columns.get(i).name();
                int index = i;
                naming.columns().filter(pattern -> !Pattern.matches(pattern, name)).ifPresent(pattern ->
                        violation.accept(schema.element(index).get("name"), "column name '" + name
                                + "' does not match " + pattern));
            }
        } else if (rule instanceof PolicyRule.KeysUnique) {
            List<String> keys = product.output().keys();
            boolean implied = product.output().mode() == WriteMode.MERGE;
            boolean declared = product.quality().checks().stream().anyMatch(check -> check.kind() == CheckKind.UNIQUE
                    && check.level() == CheckSpec.Level.ERROR && new HashSet<>(check.columns()).equals(
                            new HashSet<>(keys)));
            if (!keys.isEmpty() && !implied && !declared) {
                violation.accept(root.get("output").get("keys"), "keys " + keys + " are not checked unique (a "
                        + product.output().mode().name().toLowerCase(Locale.ROOT) + " output does not imply it); "
                        + "add { check: unique, columns: " + keys + " } to quality.checks");
            }
        } else if (rule instanceof PolicyRule.PiiProtected) {
            for (int i = 0; i < columns.size(); i++) {
                ColumnSpec column = columns.get(i);
                if (outsideDomain && column.isPii() && column.protection() == ColumnSpec.Protection.NONE) {
                    violation.accept(schema.element(i).get("protection"), "column '" + column.name() + "' is pii "
                            + "in a product visible outside its domain (" + visibility(product) + ") without a "
                            + "protection; set protection: hash, redact or drop");
                }
            }
        } else if (rule instanceof PolicyRule.NoDeclassification) {
            for (int i = 0; i < columns.size(); i++) {
                ColumnSpec column = columns.get(i);
                if (column.declassified()) {
                    violation.accept(schema.element(i).get("declassified"), "column '" + column.name() + "' is "
                            + "declared declassified (\"" + column.declassification() + "\")");
                }
            }
        } else if (rule instanceof PolicyRule.AllowedModes allowed) {
            if (!allowed.modes().contains(product.output().mode())) {
                violation.accept(root.get("output").get("mode"), "output mode "
                        + product.output().mode().name().toLowerCase(Locale.ROOT) + " is not allowed; allowed: "
                        + allowed.modes().stream().map(m -> m.name().toLowerCase(Locale.ROOT)).sorted().toList());
            }
        }
    }

    /** Every hashed column has a salt: the governance file names the environment variable that holds it. */
    public static void checkSalts(Optional<GovernanceSpec> governance, List<ProductSpec> products,
            Map<Path, YamlDocument> documents) {
        if (governance.flatMap(GovernanceSpec::piiSaltEnv).isPresent()) {
            return;
        }
        for (ProductSpec product : products) {
            List<ColumnSpec> columns = product.output().schema();
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).protection() == ColumnSpec.Protection.HASH) {
                    documents.get(product.file()).root().get("output").get("schema").element(i).problem("protection",
                            "hash needs a salt: name the environment variable that holds it in the governance file "
                                    + "(pii: { saltEnv: NAME }), which platform.yaml names under governance");
                }
            }
        }
    }

    /** A representative per domain, members of the mesh's domains only, and the version in force approved. */
    private void checkBody(GovernanceSpec spec) {
        YamlNode root = governanceRoot.orElseThrow();
        List<String> names = domains.stream().map(DomainSpec::name).toList();
        for (int i = 0; i < spec.members().size(); i++) {
            String domain = spec.members().get(i).domain();
            if (!names.contains(domain)) {
                root.get("body").get("members").element(i).problem("domain", "no domain '" + domain + "' in the "
                        + "mesh" + NearestNames.suggestion(domain, names));
            }
        }
        // located in the domain's own file: its products wait for its seat, the rest of the mesh runs
        for (DomainSpec domain : domains) {
            if (spec.representative(domain.name()).isEmpty()) {
                bodyFinding(domain.name(), root(domain.file()), "domain '" + domain.name() + "' has no "
                        + "representative on the federated body, so its products do not run; add - { domain: "
                        + domain.name() + ", representative: EMAIL } under body.members in "
                        + spec.file().getFileName() + (spec.joining() == GovernanceSpec.JoiningRule.OPEN
                                ? " (domains join openly: the approved policy version stands)"
                                : " and have the body approve the new policy version (body.joining: approval)"));
            }
        }
        int required = spec.requiredApprovals();
        long approvals = spec.approvals();
        if (!spec.currentVersionApproved()) {
            bodyFinding("", root.get("approval").get("policyVersion"), (spec.approvedHash().isEmpty()
                    ? "policy version " + spec.version() + " has not been approved"
                    : "the policies changed since version " + spec.approvedHash() + " was approved (now "
                            + spec.version() + ")") + "; once " + required + " of the body's "
                    + spec.members().size() + " representatives approve it, set approval.policyVersion: "
                    + spec.version() + " and list them under approval.approvedBy");
        } else if (approvals < required) {
            bodyFinding("", root.get("approval").get("approvedBy"), "policy version " + spec.version()
                    + " is approved by " + approvals + " of the body's " + spec.members().size()
                    + " representatives; the " + spec.approvalRule().name().toLowerCase(Locale.ROOT) + " rule needs "
                    + required + (spec.joining() == GovernanceSpec.JoiningRule.OPEN && spec.approvedBodySize()
                            .isEmpty() ? " (if the body grew since it approved, set approval.bodySize to the number "
                                    + "of representatives it had then)" : ""));
        }
    }

    private void bodyFinding(String domain, YamlNode node, String what) {
        findings.add(new PolicyFinding(BODY_RULE, PolicyRule.Severity.ERROR, domain, Optional.empty(),
                node.locate("[" + BODY_RULE + "] " + what)));
    }

    private static String visibility(ProductSpec product) {
        return "access.visibility: " + product.access().visibility().name().toLowerCase(Locale.ROOT);
    }

    private YamlNode root(Path file) {
        return documents.get(file).root();
    }
}
