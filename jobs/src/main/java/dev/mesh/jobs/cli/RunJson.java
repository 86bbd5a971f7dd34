package dev.mesh.jobs.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mesh.runtime.result.RunResult;
import dev.mesh.spec.model.ColumnSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One run as one line of JSON, for schedulers and scripts ({@code --output json}). */
final class RunJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunJson() {}

    /** Whether {@code --output} asks for JSON lines: {@code table} or {@code json}, else a usage error. */
    static boolean chosen(String output) {
        return switch (output) {
            case "table" -> false;
            case "json" -> true;
            default -> throw dev.mesh.error.MeshException.invalidInput("--output: '%s' is not an output; allowed: "
                    + "table, json", output);
        };
    }

    static String line(RunResult r) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("run_id", r.runId());
        fields.put("domain", r.product().domain());
        fields.put("product", r.product().name());
        fields.put("status", r.status().name());
        fields.put("exit_code", r.exitCode());
        fields.put("started_at", r.startedAt().toString());
        fields.put("finished_at", r.finishedAt().toString());
        fields.put("duration_ms", r.duration().toMillis());
        fields.put("stage_ms", r.stageMillis());
        fields.put("rows_in", r.rowsIn());
        fields.put("rows_out", r.rowsOut());
        fields.put("rows_quarantined", r.rowsQuarantined());
        fields.put("checks_passed", r.gate().passed());
        fields.put("checks_failed", r.gate().failed());
        fields.put("output_version", r.outputVersion());
        fields.put("spec_version", r.specVersion());
        fields.put("error_code", r.failure().map(Enum::name).orElse(null));
        fields.put("error", r.error().isEmpty() ? null : r.error());
        fields.put("columns", columns(r.columns().columns()));
        fields.put("rows_decided_by", sources(r.columns().rows()));
        try {
            return dev.mesh.error.Secrets.redact(JSON.writeValueAsString(fields));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each output column with the input columns it derives from, from the plan the run analysed. */
    private static Map<String, Object> columns(Map<String, List<ColumnSource>> columns) {
        Map<String, Object> out = new LinkedHashMap<>();
        columns.forEach((column, sources) -> out.put(column, sources(sources)));
        return out;
    }

    private static List<Map<String, String>> sources(List<ColumnSource> sources) {
        List<Map<String, String>> out = new ArrayList<>();
        for (ColumnSource source : sources) {
            Map<String, String> one = new LinkedHashMap<>();
            one.put("input", source.input());
            one.put("column", source.column());
            one.put("how", source.how().name().toLowerCase(Locale.ROOT));
            out.add(one);
        }
        return out;
    }
}
