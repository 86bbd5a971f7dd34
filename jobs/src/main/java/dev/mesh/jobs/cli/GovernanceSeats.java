package dev.mesh.jobs.cli;

import dev.mesh.spec.model.GovernanceSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code mesh init domain} gives the new domain its seat on the federated body by adding one line to the governance
 * file's {@code body.members} list, leaving every other line (and comment) as it was. When domains join openly, the
 * policy version stands; if the body's approval counted a majority of fewer seats, the approval records that size
 * ({@code approval.bodySize}) so it keeps standing.
 */
final class GovernanceSeats {
    private static final Pattern TOP_KEY = Pattern.compile("^(\\w+):\\s*(#.*)?$");
    private static final Pattern MEMBERS = Pattern.compile("^(\\s+)members:\\s*(#.*)?$");
    private static final Pattern ITEM = Pattern.compile("^(\\s*)- ");

    private GovernanceSeats() {}

    /**
     * Adds the seat; returns what was done, or how to do it by hand when the file's layout is not the block list this
     * edits (nothing is changed then). Empty when the domain has a seat already.
     */
    static Optional<String> add(GovernanceSpec governance, String domain, String representative) {
        if (governance.representative(domain).isPresent()) {
            return Optional.empty();
        }
        String seat = "- { domain: " + domain + ", representative: " + representative + " }";
        String file = governance.file().getFileName().toString();
        List<String> lines;
        try {
            lines = new ArrayList<>(Files.readAllLines(governance.file(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int body = topLevel(lines, "body");
        int members = -1;
        for (int i = body + 1; body >= 0 && i < lines.size() && !TOP_KEY.matcher(lines.get(i)).matches(); i++) {
            if (MEMBERS.matcher(lines.get(i)).matches()) {
                members = i;
                break;
            }
        }
        String indent = null;
        int last = members;
        for (int i = members + 1; members >= 0 && i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.strip().startsWith("#")) {
                continue;
            }
            Matcher item = ITEM.matcher(line);
            if (item.find() && (indent == null || item.group(1).equals(indent))) {
                indent = item.group(1);
                last = i;
            } else if (indent != null && line.length() - line.stripLeading().length() > indent.length()) {
                last = i; // a block-style member's second line
            } else {
                break;
            }
        }
        if (indent == null) {
            return Optional.of("add its seat on the federated body by hand: " + seat + " under body.members in "
                    + file + "; until then its products do not run (the rest of the mesh does)");
        }
        lines.add(last + 1, indent + seat);
        String approval = "";
        int before = governance.members().size();
        boolean open = governance.joining() == GovernanceSpec.JoiningRule.OPEN;
        if (open && governance.currentVersionApproved() && governance.approvedBodySize().isEmpty()
                && governance.approvals() >= governance.approvalRule().required(before)
                && governance.approvals() < governance.approvalRule().required(before + 1)) {
            int at = topLevel(lines, "approval");
            if (at >= 0 && at + 1 < lines.size() && !ITEM.matcher(lines.get(at + 1)).lookingAt()
                    && lines.get(at + 1).startsWith(" ")) {
                String inner = lines.get(at + 1).substring(0, lines.get(at + 1).length()
                        - lines.get(at + 1).stripLeading().length());
                lines.add(at + 1, inner + "bodySize: " + before + "   # the body approved with " + before
                        + " seats; " + domain + " joined after");
                approval = "; the approval was given by a body of " + before + " seats, which approval.bodySize now "
                        + "records, so it stands";
            }
        }
        try {
            Files.write(governance.file(), lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.of("gave " + domain + " its seat on the federated body: " + seat + " in " + file
                + " (make the representative the person who speaks for the domain)" + (open
                        ? "; domains join openly, so the approved policy version stands" + approval
                        : "; the body's rule (joining: approval) makes this a new policy version, which its "
                                + "representatives approve before the mesh runs again: mesh policies check"));
    }

    private static int topLevel(List<String> lines, String key) {
        for (int i = 0; i < lines.size(); i++) {
            Matcher top = TOP_KEY.matcher(lines.get(i));
            if (top.matches() && top.group(1).equals(key)) {
                return i;
            }
        }
        return -1;
    }
}
