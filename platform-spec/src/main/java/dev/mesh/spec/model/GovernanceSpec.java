package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The mesh's global policies and the federated body that owns them (the paper's ImplementFederatedGovernance): the
 * body's members, one representative per domain, and how many must approve a policy version; the approval given
 * (the hash of the version approved and who approved it); the global rules; and {@code hash}, the version the file
 * holds now (SHA-256 of its body and rules), which the platform records with what it enforced.
 */
public record GovernanceSpec(
        Path file,
        List<Member> members,
        ApprovalRule approvalRule,
        String approvedHash,
        List<String> approvedBy,
        List<PolicyRule> rules,
        Optional<String> piiSaltEnv,
        String hash) {
    public GovernanceSpec {
        requireNonNull(file, "file is null");
        members = List.copyOf(members);
        requireNonNull(approvalRule, "approvalRule is null");
        approvedHash = approvedHash == null ? "" : approvedHash;
        approvedBy = List.copyOf(approvedBy);
        rules = List.copyOf(rules);
        requireNonNull(piiSaltEnv, "piiSaltEnv is null");
        requireNonNull(hash, "hash is null");
    }

    /** The representative of {@code domain} on the body, if it has one. */
    public Optional<Member> representative(String domain) {
        return members.stream().filter(member -> member.domain().equals(domain)).findFirst();
    }

    /** Whether the approval given names the policy version the file holds now. */
    public boolean currentVersionApproved() {
        return !approvedHash.isEmpty() && hash.startsWith(approvedHash);
    }

    /** How many of the body's representatives approved (each counted once; others are not members). */
    public long approvals() {
        return approvedBy.stream().distinct()
                .filter(who -> members.stream().anyMatch(member -> member.representative().equals(who))).count();
    }

    /** How many approvals the body's rule needs. */
    public int requiredApprovals() {
        return approvalRule.required(members.size());
    }

    /** The short form of the policy version shown to people: the hash's first 12 characters. */
    public String version() {
        return hash.substring(0, Math.min(12, hash.length()));
    }

    /** A domain's representative on the federated body. */
    public record Member(String domain, String representative) {
        public Member {
            requireNonNull(domain, "domain is null");
            requireNonNull(representative, "representative is null");
        }
    }

    /** How many of the body's members must approve a policy version. */
    public enum ApprovalRule {
        MAJORITY, UNANIMOUS;

        public int required(int members) {
            return this == UNANIMOUS ? members : members / 2 + 1;
        }
    }
}
