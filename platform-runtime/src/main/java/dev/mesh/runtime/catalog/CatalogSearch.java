package dev.mesh.runtime.catalog;

import static java.util.Objects.requireNonNull;

import dev.mesh.error.MeshException;
import dev.mesh.spec.model.DomainSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductSpec;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which products a catalog search returns: those of one domain, those one consuming domain may read (the product's
 * visibility), those whose name, description or columns mention a text (ignoring case); every part optional. The
 * CLI's {@code mesh catalog} and the server's catalog answer the same search.
 */
public record CatalogSearch(Optional<String> domain, Optional<String> readableBy, Optional<String> text) {
    public static final CatalogSearch ALL = new CatalogSearch(Optional.empty(), Optional.empty(), Optional.empty());

    public CatalogSearch {
        requireNonNull(domain, "domain is null");
        requireNonNull(readableBy, "readableBy is null");
        requireNonNull(text, "text is null");
    }

    /** The products of {@code mesh} this search selects, in the mesh's order; a domain not in the mesh is refused. */
    public List<ProductSpec> find(MeshSpec mesh) {
        List<String> domains = mesh.domains().stream().map(DomainSpec::name).toList();
        for (Optional<String> name : List.of(domain, readableBy)) {
            if (name.isPresent() && !domains.contains(name.get())) {
                throw MeshException.invalidInput("no domain '%s' in the mesh; domains: %s", name.get(),
                        String.join(", ", domains));
            }
        }
        return mesh.products().stream()
                .filter(p -> domain.isEmpty() || p.domain().equals(domain.get()))
                .filter(p -> readableBy.isEmpty() || p.access().allows(p.domain(), readableBy.get()))
                .filter(this::mentions)
                .toList();
    }

    private boolean mentions(ProductSpec product) {
        if (text.isEmpty()) {
            return true;
        }
        String term = text.get().toLowerCase(Locale.ROOT);
        return product.id().toString().toLowerCase(Locale.ROOT).contains(term)
                || product.description().toLowerCase(Locale.ROOT).contains(term)
                || product.tags().stream().anyMatch(tag -> tag.contains(term))
                || product.output().schema().stream().anyMatch(c -> c.name().toLowerCase(Locale.ROOT).contains(term)
                        || c.description().toLowerCase(Locale.ROOT).contains(term));
    }
}
