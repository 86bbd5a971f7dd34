package dev.mesh.runtime.run;

import dev.mesh.spec.model.CheckSpec;
import dev.mesh.spec.model.CheckSpec.CheckKind;
import dev.mesh.spec.model.CheckSpec.Level;
import dev.mesh.spec.model.ColumnSpec;
import dev.mesh.spec.model.OutputSpec.WriteMode;
import dev.mesh.spec.model.ProductSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks a product's gate evaluates: those its spec declares, plus those its output port implies: every
 * {@code required} column and every merge key is complete, and merge keys are unique (MERGE cannot publish a batch
 * in which two rows claim the same key). An implied check the spec also declares at error level is evaluated once.
 */
public final class GateChecks {
    private GateChecks() {}

    public static List<CheckSpec> of(ProductSpec product) {
        List<CheckSpec> checks = new ArrayList<>(product.quality().checks());
        Set<String> declaredErrors = new HashSet<>();
        checks.stream().filter(c -> c.level() == Level.ERROR).forEach(c -> declaredErrors.add(c.describe()));
        List<String> notNull = new ArrayList<>();
        product.output().schema().stream().filter(ColumnSpec::required).map(ColumnSpec::name).forEach(notNull::add);
        boolean merge = product.output().mode() == WriteMode.MERGE;
        if (merge) {
            product.output().keys().stream().filter(key -> !notNull.contains(key)).forEach(notNull::add);
        }
        List<CheckSpec> implied = new ArrayList<>();
        notNull.forEach(column -> implied.add(implied(CheckKind.COMPLETE, List.of(column))));
        if (merge) {
            implied.add(implied(CheckKind.UNIQUE, product.output().keys()));
        }
        implied.stream().filter(check -> declaredErrors.add(check.describe())).forEach(checks::add);
        return List.copyOf(checks);
    }

    private static CheckSpec implied(CheckKind kind, List<String> columns) {
        return new CheckSpec(kind, Level.ERROR, null, columns, List.of(), null, null, null, null);
    }
}
