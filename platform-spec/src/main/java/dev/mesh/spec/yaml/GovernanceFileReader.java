package dev.mesh.spec.yaml;

import dev.mesh.spec.model.GovernanceSpec;
import dev.mesh.spec.model.GovernanceSpec.ApprovalRule;
import dev.mesh.spec.model.GovernanceSpec.JoiningRule;
import dev.mesh.spec.model.GovernanceSpec.Member;
import dev.mesh.spec.model.NearestNames;
import dev.mesh.spec.model.OutputSpec.WriteMode;
import dev.mesh.spec.model.PolicyRule;
import dev.mesh.spec.model.PolicyRule.Severity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Binds the governance file that {@code platform.yaml} names to a {@link GovernanceSpec}, and policy rules (global,
 * or a domain's {@code policies}) to {@link PolicyRule}s, reporting every problem inside the file.
 */
public final class GovernanceFileReader {
    static final Set<String> TOP = YamlNode.fields("apiVersion", "kind", "body", "approval", "pii", "rules");
    static final Set<String> BODY = YamlNode.fields("members", "approval", "joining");
    static final Set<String> MEMBER = YamlNode.fields("domain", "representative");
    static final Set<String> APPROVAL = YamlNode.fields("policyVersion", "approvedBy", "bodySize");
    static final Set<String> PII = YamlNode.fields("saltEnv");
    static final Map<String, Set<String>> RULE_FIELDS = Map.of(
            "requiredMetadata", YamlNode.fields("id", "kind", "severity", "message", "fields"),
            "naming", YamlNode.fields("id", "kind", "severity", "message", "products", "columns"),
            "keysUnique", YamlNode.fields("id", "kind", "severity", "message"),
            "piiProtected", YamlNode.fields("id", "kind", "severity", "message"),
            "noDeclassification", YamlNode.fields("id", "kind", "severity", "message"),
            "allowedModes", YamlNode.fields("id", "kind", "severity", "message", "modes"),
            "retention", YamlNode.fields("id", "kind", "severity", "message", "versions", "quarantine"),
            "piiDetection", YamlNode.fields("id", "kind", "severity", "message", "minShare"));
    private static final Pattern RULE_ID = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{12,64}");

    private GovernanceFileReader() {}

    public static Optional<GovernanceSpec> read(YamlDocument document, Path file) {
        YamlNode root = document.root();
        if (!root.expectMap(TOP)) {
            if (root.isMissing() && !document.hasProblems()) {
                root.problem("the file is empty; governance needs apiVersion, kind, body and rules");
            }
            return Optional.empty();
        }
        SpecFiles.checkHeader(root, "Governance");
        YamlNode body = root.get("body");
        List<Member> members = new ArrayList<>();
        ApprovalRule approvalRule = ApprovalRule.MAJORITY;
        JoiningRule joining = JoiningRule.OPEN;
        if (!body.has("members") && body.expectMap(BODY)) {
            body.problem("members", "is required: one representative per domain, e.g. - { domain: sales, "
                    + "representative: ana@example.com }");
        } else if (body.expectMap(BODY)) {
            Set<String> domains = new HashSet<>();
            for (YamlNode node : body.list("members", true)) {
                if (!node.expectMap(MEMBER)) {
                    continue;
                }
                String domain = node.requiredString("domain");
                String representative = node.requiredString("representative");
                SpecRules.checkEmail(node, "representative", representative);
                if (domain != null && !domains.add(domain)) {
                    node.problem("domain", "domain '" + domain + "' has a representative already; a domain has "
                            + "one seat on the body");
                }
                if (domain != null && representative != null) {
                    members.add(new Member(domain, representative));
                }
            }
            approvalRule = body.choice("approval", YamlNode.names(ApprovalRule.class), "an approval rule", false)
                    .orElse(ApprovalRule.MAJORITY);
            joining = body.choice("joining", YamlNode.names(JoiningRule.class), "a joining rule", false)
                    .orElse(JoiningRule.OPEN);
        }
        YamlNode approval = root.get("approval");
        String approvedHash = "";
        List<String> approvedBy = List.of();
        Optional<Integer> bodySize = Optional.empty();
        if (approval.expectMap(APPROVAL)) {
            Optional<Long> size = approval.optionalLong("bodySize");
            if (size.isPresent() && (size.get() < 1 || size.get() > 10_000)) {
                approval.problem("bodySize", size.get() + " is not a number of representatives; the body's size "
                        + "when it approved, at least 1");
            } else {
                bodySize = size.map(Long::intValue);
            }
            approvedHash = approval.optionalString("policyVersion").orElse("");
            if (!approvedHash.isEmpty() && !HASH.matcher(approvedHash).matches()) {
                approval.problem("policyVersion", "'" + approvedHash + "' is not a policy version: the first 12 or "
                        + "more hex digits of the hash `mesh policies check` prints");
            }
            approvedBy = approval.stringList("approvedBy", false);
            List<String> representatives = members.stream().map(Member::representative).toList();
            for (int i = 0; i < approvedBy.size(); i++) {
                if (!representatives.contains(approvedBy.get(i)) && !members.isEmpty()) {
                    approval.get("approvedBy").element(i).problem("'" + approvedBy.get(i) + "' is not a "
                            + "representative on the body; approvals come from its members: "
                            + String.join(", ", representatives));
                }
            }
        }
        Optional<String> saltEnv = Optional.empty();
        YamlNode pii = root.get("pii");
        if (pii.expectMap(PII)) {
            saltEnv = pii.optionalString("saltEnv");
            saltEnv.ifPresent(name -> SpecRules.checkEnvName(pii, "saltEnv", name));
        }
        List<PolicyRule> rules = readRules(root, "rules");
        if (document.hasProblems()) {
            return Optional.empty();
        }
        return Optional.of(new GovernanceSpec(file, members, approvalRule, joining, approvedHash, approvedBy, bodySize,
                rules, saltEnv, hash(root, joining)));
    }

    /** The rules listed under {@code field} of {@code node}; ids are unique within the list. */
    static List<PolicyRule> readRules(YamlNode node, String field) {
        List<PolicyRule> rules = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (YamlNode rule : node.list(field, false)) {
            readRule(rule).ifPresent(r -> {
                if (!ids.add(r.id())) {
                    rule.problem("id", "rule '" + r.id() + "' is declared twice");
                } else {
                    rules.add(r);
                }
            });
        }
        return rules;
    }

    private static Optional<PolicyRule> readRule(YamlNode node) {
        String kind = node.isMap() ? node.requiredString("kind") : null;
        Set<String> fields = kind == null ? null : RULE_FIELDS.get(kind);
        if (kind != null && fields == null) {
            node.problem("kind", "'" + kind + "' is not a kind of rule; allowed: " + String.join(", ",
                    RULE_FIELDS.keySet().stream().sorted().toList())
                    + NearestNames.suggestion(kind, RULE_FIELDS.keySet()));
            return Optional.empty();
        }
        if (!node.expectMap(fields == null ? YamlNode.fields("id", "kind", "severity", "message") : fields)
                || kind == null) {
            return Optional.empty();
        }
        String id = node.requiredString("id");
        if (id != null && !RULE_ID.matcher(id).matches()) {
            node.problem("id", "'" + id + "' is not a rule id: lower-case letters, digits and '-', starting with a "
                    + "letter");
        }
        Severity severity = node.choice("severity", YamlNode.names(Severity.class), "a severity", false)
                .orElse(Severity.ERROR);
        String message = node.requiredString("message");
        if (id == null || message == null) {
            return Optional.empty();
        }
        switch (kind) {
            case "requiredMetadata": {
                List<String> required = node.stringList("fields", true);
                for (int i = 0; i < required.size(); i++) {
                    if (!PolicyRule.RequiredMetadata.FIELDS.contains(required.get(i))) {
                        node.get("fields").element(i).problem("'" + required.get(i) + "' is not metadata a rule "
                                + "can require; allowed: columnDescriptions, description, sla");
                    }
                }
                return Optional.of(new PolicyRule.RequiredMetadata(id, severity, message, Set.copyOf(required)));
            }
            case "naming": {
                Optional<String> products = pattern(node, "products");
                Optional<String> columns = pattern(node, "columns");
                if (!node.has("products") && !node.has("columns")) {
                    node.problem("a naming rule names a pattern for products, columns or both");
                }
                return Optional.of(new PolicyRule.Naming(id, severity, message, products, columns));
            }
            case "keysUnique":
                return Optional.of(new PolicyRule.KeysUnique(id, severity, message));
            case "piiProtected":
                return Optional.of(new PolicyRule.PiiProtected(id, severity, message));
            case "noDeclassification":
                return Optional.of(new PolicyRule.NoDeclassification(id, severity, message));
            case "piiDetection": {
                double share = node.optionalNumber("minShare").orElse(PolicyRule.PiiDetection.DEFAULT_MIN_SHARE);
                if (share <= 0 || share > 1) {
                    node.problem("minShare", "must be a share of the values above 0 and at most 1, e.g. 0.2");
                }
                return Optional.of(new PolicyRule.PiiDetection(id, severity, message, share));
            }
            case "retention": {
                Optional<java.time.Duration> versions = node.optionalDuration("versions");
                if (!node.has("versions")) {
                    node.problem("versions", "is required: how long old versions stay readable, e.g. P7D");
                }
                versions.filter(kept -> kept.compareTo(PolicyRule.Retention.MIN_VERSIONS) < 0).ifPresent(kept ->
                        node.problem("versions", kept + " is shorter than the platform's least retention, "
                                + PolicyRule.Retention.MIN_VERSIONS + ": runs still writing and readers still "
                                + "reading need the files of versions this recent"));
                return versions.map(kept -> new PolicyRule.Retention(id, severity, message, kept,
                        node.optionalDuration("quarantine")));
            }
            default: {
                Set<WriteMode> modes = new HashSet<>();
                List<YamlNode> nodes = node.list("modes", true);
                for (int i = 0; i < nodes.size(); i++) {
                    YamlNode element = node.get("modes").element(i);
                    element.choice(YamlNode.names(WriteMode.class), "an output mode").ifPresent(modes::add);
                }
                return Optional.of(new PolicyRule.AllowedModes(id, severity, message, modes));
            }
        }
    }

    private static Optional<String> pattern(YamlNode node, String field) {
        Optional<String> pattern = node.optionalString(field);
        try {
            pattern.ifPresent(Pattern::compile);
        } catch (PatternSyntaxException e) {
            node.problem(field, "'" + pattern.get() + "' is not a regular expression: " + e.getDescription());
            return Optional.empty();
        }
        return pattern;
    }

    /**
     * SHA-256 of the body, the PII settings and the rules, as canonical JSON: the policy version. When domains join
     * openly, the body's members are not part of it: a seat added for a new domain leaves the version, and so its
     * approval, standing.
     */
    private static String hash(YamlNode root, JoiningRule joining) {
        YamlNode body = root.get("body");
        String bodyContent = joining == JoiningRule.OPEN
                ? body.get("approval").canonicalJson() + "\n" + body.get("joining").canonicalJson()
                : body.canonicalJson();
        String content = bodyContent + "\n" + root.get("pii").canonicalJson() + "\n"
                + root.get("rules").canonicalJson();
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
