package dev.mesh.server.api;

import dev.mesh.runtime.result.RunResult;
import dev.mesh.server.auth.Role;
import dev.mesh.server.runs.ServerRun;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.ProductSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The JSON shapes of the API (documented in {@code openapi.json}), built from the platform's records. */
public final class Views {
    private Views() {}

    public static Map<String, Object> productSummary(ProductSpec product) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", product.id().toString());
        view.put("domain", product.domain());
        view.put("name", product.id().name());
        view.put("version", product.version());
        view.put("owner", product.owner());
        view.put("description", product.description());
        view.put("template", product.transform().template());
        view.put("visibility", product.access().visibility().name().toLowerCase(Locale.ROOT));
        return view;
    }

    public static Map<String, Object> product(ProductSpec product, Optional<Role> role) {
        Map<String, Object> view = productSummary(product);
        view.put("consumers", product.access().consumers());
        view.put("writeMode", product.output().mode().name().toLowerCase(Locale.ROOT));
        view.put("keys", product.output().keys());
        List<Map<String, Object>> columns = new ArrayList<>();
        for (ColumnSpec column : product.output().schema()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", column.name());
            one.put("type", column.type());
            one.put("required", column.required());
            one.put("description", column.description());
            one.put("classification", column.classification());
            one.put("protection", column.protection().name().toLowerCase(Locale.ROOT));
            columns.add(one);
        }
        view.put("schema", columns);
        view.put("inputs", product.inputs().stream().map(input -> input.name()).toList());
        view.put("yourRole", role.map(Role::label).orElse(null));
        return view;
    }

    public static Map<String, Object> run(ServerRun run) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", run.id());
        view.put("product", run.product().toString());
        view.put("state", run.state().name().toLowerCase(Locale.ROOT));
        view.put("principal", run.principal());
        view.put("force", run.force());
        view.put("fullRefresh", run.fullRefresh());
        view.put("queuedAt", run.queuedAt().toString());
        view.put("startedAt", run.startedAt().map(Object::toString).orElse(null));
        view.put("cancelledBy", run.cancelledBy().orElse(null));
        List<Map<String, Object>> stages = new ArrayList<>();
        for (ServerRun.RunEvent event : run.events()) {
            event.stage().ifPresent(stage -> stages.add(Map.of("stage", stage, "at", event.at().toString())));
        }
        view.put("stages", stages);
        view.put("result", run.result().map(Views::result).orElse(null));
        view.put("note", run.endNote().orElse(null));
        return view;
    }

    public static Map<String, Object> event(ServerRun run, ServerRun.RunEvent event) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("run", run.id());
        view.put("type", event.type());
        view.put("at", event.at().toString());
        view.put("message", event.message());
        view.put("stage", event.stage().orElse(null));
        if (event.type().equals("finished")) {
            view.put("result", run.result().map(Views::result).orElse(null));
        }
        return view;
    }

    private static Map<String, Object> result(RunResult result) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("status", result.status().name());
        view.put("startedAt", result.startedAt().toString());
        view.put("finishedAt", result.finishedAt().toString());
        view.put("rowsIn", result.rowsIn());
        view.put("rowsOut", result.rowsOut());
        view.put("rowsQuarantined", result.rowsQuarantined());
        view.put("outputVersion", result.outputVersion());
        view.put("stageMillis", result.stageMillis());
        view.put("checksPassed", result.gate().passed());
        view.put("checksFailed", result.gate().failed());
        view.put("error", result.error());
        view.put("exitCode", result.exitCode());
        return view;
    }
}
