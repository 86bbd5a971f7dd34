package dev.mesh.spec;

import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.InputSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.PlatformSpec;
import dev.mesh.spec.model.PolicyReport;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductInputSpec;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.model.SpecProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One bad spec does not stop the mesh: when every problem lies in product or domain files, the products those files
 * declare, and every product that reads one of them (transitively), are set aside with the reason, and the rest is a
 * valid mesh that runs. A problem in the platform or governance file concerns every product, so nothing is isolated.
 */
final class SpecIsolation {
    private SpecIsolation() {}

    /**
     * @param productFiles every product file found (as problems name files) and the product it declares, parsed or not
     * @param domainFiles every domain file found and its domain
     */
    static Optional<SpecLoad.Isolated> isolate(PlatformSpec platform, List<DomainSpec> domains,
            List<ProductSpec> products, PolicyReport policies, List<SpecProblem> problems,
            Map<String, ProductId> productFiles, Map<String, String> domainFiles) {
        Map<ProductId, List<SpecProblem>> own = new LinkedHashMap<>();
        Map<String, List<SpecProblem>> ofDomains = new LinkedHashMap<>();
        for (SpecProblem problem : problems) {
            if (productFiles.containsKey(problem.file())) {
                own.computeIfAbsent(productFiles.get(problem.file()), id -> new ArrayList<>()).add(problem);
            } else if (domainFiles.containsKey(problem.file())) {
                ofDomains.computeIfAbsent(domainFiles.get(problem.file()), name -> new ArrayList<>()).add(problem);
            } else {
                return Optional.empty();
            }
        }
        Map<ProductId, String> refused = new LinkedHashMap<>();
        own.forEach((id, found) -> refused.put(id, describe("its spec", found)));
        Set<String> validDomains = domains.stream().map(DomainSpec::name).collect(Collectors.toSet());
        for (ProductId id : productFiles.values()) {
            if (ofDomains.containsKey(id.domain())) {
                refused.putIfAbsent(id, describe("its domain's spec", ofDomains.get(id.domain())));
            } else if (!validDomains.contains(id.domain())) {
                refused.putIfAbsent(id, "its domain's spec has problems");
            }
        }
        Set<ProductId> readable = products.stream().map(ProductSpec::id).collect(Collectors.toSet());
        productFiles.values().stream().filter(id -> !readable.contains(id))
                .forEach(id -> refused.putIfAbsent(id, "its spec could not be read"));
        boolean changed = true;
        while (changed) {
            changed = false;
            for (ProductSpec product : products) {
                if (refused.containsKey(product.id())) {
                    continue;
                }
                for (InputSpec input : product.inputs()) {
                    if (input instanceof ProductInputSpec upstream && refused.containsKey(upstream.product())) {
                        refused.put(product.id(), "it reads " + upstream.product() + ", whose spec is refused ("
                                + refused.get(upstream.product()) + ")");
                        changed = true;
                        break;
                    }
                }
            }
        }
        List<ProductSpec> kept = products.stream().filter(p -> !refused.containsKey(p.id())).toList();
        List<DomainSpec> keptDomains = domains.stream().filter(d -> !ofDomains.containsKey(d.name())).toList();
        return Optional.of(new SpecLoad.Isolated(new MeshSpec(platform, keptDomains, kept, policies), refused));
    }

    private static String describe(String whose, List<SpecProblem> problems) {
        return whose + " has " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ": "
                + problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; "));
    }
}
