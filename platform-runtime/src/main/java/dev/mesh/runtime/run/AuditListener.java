package dev.mesh.runtime.run;

import dev.mesh.error.ErrorCode;
import dev.mesh.runtime.ledger.AuditRecord;
import dev.mesh.runtime.ledger.AuditRecord.Action;
import dev.mesh.runtime.result.InputRecord;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.runtime.result.RunStatus;
import dev.mesh.spec.model.GovernanceSpec;
import dev.mesh.spec.model.PolicyReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * After each invocation, appends to the audit trail, in one commit: the policy evaluation the runs were allowed by
 * (policy version, warnings), and per product its run and, when it published, the publication.
 */
public final class AuditListener implements RunListener {
    @Override
    public void invocationFinished(RunContext context, List<RunResult> results) {
        String principal = AuditRecord.principal(context.environment());
        PolicyReport policies = context.mesh().policies();
        String version = policies.governance().map(GovernanceSpec::hash).orElse(null);
        Instant now = context.clock().instant();
        List<AuditRecord> records = new ArrayList<>();
        if (policies.governance().isPresent() || !policies.rules().isEmpty()) {
            records.add(new AuditRecord(now, principal, Action.POLICY_CHECK, null, "mesh", null, version,
                    "passed", policies.rules().size() + " rule applications, " + policies.warnings().size()
                            + " warnings" + warnings(policies), null));
        }
        for (RunResult run : results) {
            String product = run.product().toString();
            records.add(new AuditRecord(run.finishedAt(), principal, Action.RUN, run.product().domain(), product,
                    run.specHash().isEmpty() ? null : run.specHash(), version, run.status().name(), detail(run),
                    run.runId()));
            if (run.failure().filter(code -> code == ErrorCode.ACCESS_DENIED).isPresent()) {
                records.add(new AuditRecord(run.finishedAt(), principal, Action.ACCESS_REFUSED,
                        run.product().domain(), product, run.specHash(), version, "refused", run.error(),
                        run.runId()));
            }
            if (run.status() == RunStatus.PUBLISHED) {
                records.add(new AuditRecord(run.finishedAt(), principal, Action.PUBLISH, run.product().domain(),
                        product, run.specHash(), version, "version " + run.outputVersion(), String.format(Locale.ROOT,
                                "%d rows%s", run.rowsOut(), run.schemaChanges().isEmpty() ? ""
                                        : "; schema changed: " + String.join(", ", run.schemaChanges())),
                        run.runId()));
            }
        }
        context.tables().audit(records);
    }

    /** The run's error, if any, and every landing file it read: the audit trail says what each run touched. */
    private static String detail(RunResult run) {
        List<String> parts = new ArrayList<>();
        if (!run.error().isEmpty()) {
            parts.add(run.error());
        }
        for (InputRecord input : run.inputs()) {
            if (input.kind().equals(QuarantineReplay.INPUT_KIND)) {
                parts.add("quarantine replay: " + input.records() + " quarantined records waited, " + run.rowsOut()
                        + " published, " + run.rowsQuarantined() + " still rejected (" + input.reference() + ", "
                        + "version " + input.version() + ")");
            }
            if (!input.files().isEmpty()) {
                parts.add("input '" + input.name() + "' read " + input.files().size() + " landing file"
                        + (input.files().size() == 1 ? "" : "s") + ": " + String.join(", ", input.files()));
            }
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    private static String warnings(PolicyReport policies) {
        return policies.warnings().isEmpty() ? "" : ": " + String.join("; ", policies.warnings().stream()
                .limit(5).map(f -> f.location().file() + " " + f.location().message()).toList());
    }

    /** The audit row of a provisioning, for the commands that provision. */
    public static AuditRecord provisioned(Map<String, String> environment, Instant at, String domain,
            String outcome) {
        return new AuditRecord(at, AuditRecord.principal(environment), Action.PROVISION, domain, domain, null, null,
                outcome, null, null);
    }
}
