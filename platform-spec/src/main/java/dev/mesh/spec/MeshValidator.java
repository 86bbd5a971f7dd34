package dev.mesh.spec;

import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.FileInputSpec;
import dev.mesh.spec.model.InputSpec;
import dev.mesh.spec.model.NearestNames;
import dev.mesh.spec.model.OutputContract;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.ProductInputSpec;
import dev.mesh.spec.model.ProductSpec;
import dev.mesh.spec.model.SourceSpec;
import dev.mesh.spec.validation.ColumnFlow;
import dev.mesh.spec.validation.ProductGraph;
import dev.mesh.spec.yaml.YamlDocument;
import dev.mesh.spec.yaml.YamlNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks that need more than one file: source ownership (the paper's AssignDomainOwnership: every source has
 * exactly one owning domain, and a product reads only its own domain's landing zone), product references and
 * their visibility, and cycles between products.
 */
public final class MeshValidator {
    private final List<DomainSpec> domains;
    private final List<ProductSpec> products;
    private final Map<Path, YamlDocument> documents;
    private final Set<ProductId> declared;
    private final Set<String> invalidDomains;
    private Set<String> contestedSources = Set.of();
    private final ColumnFlow flow;

    /**
     * {@code declared} names every product file (valid or not) by its folder and file name, and
     * {@code invalidDomains} the domains whose domain.yaml has problems, so that a file's own problems are not
     * reported a second time as broken references from other files.
     */
    public MeshValidator(List<DomainSpec> domains, List<ProductSpec> products, Map<Path, YamlDocument> documents,
            Set<ProductId> declared, Set<String> invalidDomains, ColumnFlow flow) {
        this.flow = flow;
        this.domains = domains;
        this.products = products;
        this.documents = documents;
        this.declared = declared;
        this.invalidDomains = invalidDomains;
    }

    public void validate() {
        Map<String, DomainSpec> sourceOwners = checkSourceOwnership();
        Map<ProductId, ProductSpec> byId = new LinkedHashMap<>();
        products.forEach(product -> byId.put(product.id(), product));
        for (ProductSpec product : products) {
            checkInputs(product, sourceOwners, byId);
            checkConsumers(product);
        }
        checkCycles(byId);
    }

    /** AssignDomainOwnership: maps every source to the one domain that owns it. */
    private Map<String, DomainSpec> checkSourceOwnership() {
        Map<String, DomainSpec> owners = new HashMap<>();
        Set<String> contested = new HashSet<>();
        for (DomainSpec domain : domains) {
            for (int i = 0; i < domain.sources().size(); i++) {
                SourceSpec source = domain.sources().get(i);
                DomainSpec owner = owners.putIfAbsent(source.name(), domain);
                if (owner != null) {
                    contested.add(source.name());
                    root(domain.file()).get("sources").element(i).problem("name", "source '" + source.name()
                            + "' is already owned by domain '" + owner.name() + "'; a source has exactly one "
                            + "owning domain");
                }
            }
        }
        // a contested source has no owner until the conflict is resolved; its readers are not blamed for it
        contested.forEach(owners::remove);
        contestedSources = contested;
        return owners;
    }

    private void checkInputs(ProductSpec product, Map<String, DomainSpec> sourceOwners,
            Map<ProductId, ProductSpec> byId) {
        YamlNode inputs = root(product.file()).get("inputs");
        for (int i = 0; i < product.inputs().size(); i++) {
            YamlNode node = inputs.element(i);
            InputSpec input = product.inputs().get(i);
            if (input instanceof FileInputSpec files) {
                checkSource(product, files, node.get("files"), sourceOwners);
            } else if (input instanceof ProductInputSpec upstream) {
                checkProductInput(product, upstream, node, byId);
            }
        }
    }

    private void checkSource(ProductSpec product, FileInputSpec files, YamlNode node,
            Map<String, DomainSpec> sourceOwners) {
        DomainSpec owner = sourceOwners.get(files.source());
        if (owner == null && (invalidDomains.contains(product.domain()) || contestedSources.contains(files.source()))) {
            return;
        }
        if (owner == null) {
            List<String> own = domain(product.domain()).map(d -> d.sources().stream().map(SourceSpec::name).toList())
                    .orElse(List.of());
            node.problem("source", "no source '" + files.source() + "' in domain '" + product.domain() + "'"
                    + (own.isEmpty() ? "; declare it under sources in domain.yaml"
                    : NearestNames.suggestion(files.source(), own) + " (sources: " + String.join(", ", own) + ")"));
        } else if (!owner.name().equals(product.domain())) {
            node.problem("source", "source '" + files.source() + "' is owned by domain '" + owner.name()
                    + "'; a product reads only its own domain's landing zone: read a product of '"
                    + owner.name() + "' instead");
        }
    }

    private void checkProductInput(ProductSpec product, ProductInputSpec input, YamlNode node,
            Map<ProductId, ProductSpec> byId) {
        ProductSpec upstream = byId.get(input.product());
        if (input.product().equals(product.id())) {
            node.problem("product", "a product cannot read itself");
        } else if (upstream == null && declared.contains(input.product())) {
            return;
        } else if (upstream == null) {
            List<String> known = byId.keySet().stream().map(ProductId::toString).sorted().toList();
            node.problem("product", "no product '" + input.product() + "' in the mesh"
                    + NearestNames.suggestion(input.product().toString(), known));
        } else if (input.major().isPresent() && input.major().get() > OutputContract.major(upstream.version())) {
            node.problem("product", "relies on major version " + input.major().get() + " of '" + upstream.id()
                    + "', which declares version " + upstream.version() + "; read @"
                    + OutputContract.major(upstream.version()) + " or no major");
        } else if (!upstream.access().allows(upstream.domain(), product.domain())) {
            node.problem("product", "product '" + upstream.id() + "' is not visible to domain '" + product.domain()
                    + "' (its access is " + upstream.access().visibility().name().toLowerCase(Locale.ROOT)
                    + "); ask domain '" + upstream.domain() + "' to list '" + product.domain()
                    + "' in access.consumers, or to approve an access request for it");
        } else {
            checkRepublication(product, input, upstream);
        }
    }

    /**
     * Visibility follows the data: a product of another domain than its input's shows what it derives from it (a
     * column with a direct source in it) to at most the domains the input's producer shares it with, unless that producer lists the reading domain under
     * {@code access.republish}. Within one domain the producer of both decides, and the classification of each
     * column, which follows the data, guards what leaves it.
     */
    private void checkRepublication(ProductSpec product, ProductInputSpec input, ProductSpec upstream) {
        // unknown lineage (a query that does not analyse over the declared columns): the run checks its plan
        flow.lineage(product.id()).flatMap(lineage -> ColumnFlow.widening(product, input, upstream, lineage,
                        domains.stream().map(DomainSpec::name).toList()))
                .ifPresent(problem -> root(product.file()).get("access").problem("visibility", problem));
    }

    private void checkConsumers(ProductSpec product) {
        List<String> known = domains.stream().map(DomainSpec::name).toList();
        YamlNode consumers = root(product.file()).get("access").get("consumers");
        for (int i = 0; i < product.access().consumers().size(); i++) {
            String consumer = product.access().consumers().get(i);
            if (!known.contains(consumer)) {
                consumers.element(i).problem("no domain '" + consumer + "' in the mesh"
                        + NearestNames.suggestion(consumer, known));
            }
        }
    }

    /** Reports each cycle once, at its first product. */
    private void checkCycles(Map<ProductId, ProductSpec> byId) {
        for (List<ProductId> cycle : new ProductGraph(byId.values()).cycles()) {
            root(byId.get(cycle.get(0)).file()).problem("inputs", "products form a cycle: "
                    + String.join(" -> ", cycle.stream().map(ProductId::toString).toList())
                    + "; a product cannot depend on itself, directly or through others");
        }
    }

    private Optional<DomainSpec> domain(String name) {
        return domains.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    private YamlNode root(Path file) {
        return documents.get(file).root();
    }
}
