package dev.mesh.runtime.run;

import dev.mesh.runtime.spec.CheckSpec;
import dev.mesh.runtime.spec.CheckSpec.CheckKind;
import dev.mesh.runtime.spec.CheckSpec.Level;
import dev.mesh.runtime.spec.ColumnSpec;
import dev.mesh.runtime.spec.OutputSpec.WriteMode;
import dev.mesh.runtime.spec.ProductSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks a product's gate evaluates: those its spec declares, plus those its output port implies: every
 * {@code required} column and every merge key is complete, and merge keys are unique (MERGE cannot publish a batch
 * in which two rows claim the same key). An implied check the spec also declares is evaluated once.
 */
public final class GateChecks {
    private GateChecks() {}

    public static List<CheckSpec> of(ProductSpec product) {
        Map<String, CheckSpec> checks = new LinkedHashMap<>();
        product.quality().checks().forEach(check -> checks.putIfAbsent(check.describe(), check));
        List<String> notNull = new ArrayList<>();
        product.output().schema().stream().filter(ColumnSpec::required).map(ColumnSpec::name).forEach(notNull::add);
        boolean merge = product.output().mode() == WriteMode.MERGE;
        if (merge) {
            product.output().keys().stream().filter(key -> !notNull.contains(key)).forEach(notNull::add);
        }
        for (String column : notNull) {
            CheckSpec check = implied(CheckKind.COMPLETE, List.of(column));
            checks.putIfAbsent(check.describe(), check);
        }
        if (merge) {
            CheckSpec unique = implied(CheckKind.UNIQUE, product.output().keys());
            checks.putIfAbsent(unique.describe(), unique);
        }
        return List.copyOf(checks.values());
    }

    private static CheckSpec implied(CheckKind kind, List<String> columns) {
        return new CheckSpec(kind, Level.ERROR, null, columns, List.of(), null, null, null, null);
    }
}
