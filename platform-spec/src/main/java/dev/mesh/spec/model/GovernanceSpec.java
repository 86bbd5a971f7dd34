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
        JoiningRule joining,
        String approvedHash,
        List<String> approvedBy,
        Optional<Integer> approvedBodySize,
        List<PolicyRule> rules,
        Optional<String> piiSaltEnv,
        String hash) {
    public GovernanceSpec {
        requireNonNull(file, "file is null");
        members = List.copyOf(members);
        requireNonNull(approvalRule, "approvalRule is null");
        requireNonNull(joining, "joining is null");
        requireNonNull(approvedBodySize, "approvedBodySize is null");
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

    /**
     * How many approvals the body's rule needs: of the body as it is, or, when domains join openly, of the body as it
     * was when it approved ({@code approval.bodySize}), so that a domain joining does not undo an approval.
     */
    public int requiredApprovals() {
        int size = joining == JoiningRule.OPEN ? approvedBodySize.map(n -> Math.min(n, members.size()))
                .orElse(members.size()) : members.size();
        return approvalRule.required(size);
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

    /**
     * What a domain joining the body requires: {@code OPEN} (the default), only its seat (its representative added to
     * the members), the policy version and its approval standing; {@code APPROVAL}, a new policy version approved by
     * the body, as any change of its rules.
     */
    public enum JoiningRule {
        OPEN, APPROVAL
    }

    /** How many of the body's members must approve a policy version. */
    public enum ApprovalRule {
        MAJORITY, UNANIMOUS;

        public int required(int members) {
            return this == UNANIMOUS ? members : members / 2 + 1;
        }
    }
}
