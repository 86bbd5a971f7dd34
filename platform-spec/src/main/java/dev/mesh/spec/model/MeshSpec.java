package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A whole mesh as declared: the platform, its domains and their products, all validated together, and what checking
 * them against the policies found (warnings only: an error-level finding makes the mesh invalid).
 */
public record MeshSpec(PlatformSpec platform, List<DomainSpec> domains, List<ProductSpec> products,
        PolicyReport policies) {
    public MeshSpec {
        requireNonNull(platform, "platform is null");
        domains = List.copyOf(domains);
        products = List.copyOf(products);
        requireNonNull(policies, "policies is null");
    }

    public MeshSpec(PlatformSpec platform, List<DomainSpec> domains, List<ProductSpec> products) {
        this(platform, domains, products, PolicyReport.NONE);
    }

    public MeshSpec withPlatform(PlatformSpec other) {
        return new MeshSpec(other, domains, products, policies);
    }

    /** The same mesh with other versions of its products (a revoked grant taken off them). */
    public MeshSpec withProducts(List<ProductSpec> other) {
        return new MeshSpec(platform, domains, other, policies);
    }

    public Optional<DomainSpec> domain(String name) {
        return domains.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    public Optional<ProductSpec> product(ProductId id) {
        return products.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** A product that reads another, and the input it reads it through (with the major version it pins, if any). */
    public record Reader(ProductSpec consumer, ProductInputSpec input) {}

    /** The products that read {@code product}, each with its input, in spec order. */
    public List<Reader> readersOf(ProductId product) {
        List<Reader> readers = new java.util.ArrayList<>();
        for (ProductSpec consumer : products) {
            for (InputSpec input : consumer.inputs()) {
                if (input instanceof ProductInputSpec upstream && upstream.product().equals(product)) {
                    readers.add(new Reader(consumer, upstream));
                }
            }
        }
        return readers;
    }

    /** The products that pin major {@code major} of {@code product} ({@code product: DOMAIN.NAME@MAJOR}). */
    public List<ProductId> pinning(ProductId product, int major) {
        return readersOf(product).stream().filter(reader -> reader.input().major().filter(m -> m == major).isPresent())
                .map(reader -> reader.consumer().id()).distinct().toList();
    }

    /**
     * The environment variables whose values are secrets the platform may hold: storage credentials (the AWS default
     * chain's too), database connections, the PII salt, alert URLs and lineage keys. Their values are scrubbed from
     * every text the platform writes.
     */
    public java.util.Set<String> secretVariables() {
        java.util.Set<String> names = new java.util.TreeSet<>(List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                "AWS_SESSION_TOKEN"));
        platform.storage().s3().ifPresent(s3 -> {
            java.util.stream.Stream.concat(java.util.stream.Stream.of(s3.credentials()),
                    s3.domainCredentials().values().stream()).forEach(credentials -> {
                        Optional.ofNullable(credentials.accessKeyEnv()).ifPresent(names::add);
                        Optional.ofNullable(credentials.secretKeyEnv()).ifPresent(names::add);
                    });
        });
        platform.alerts().forEach(alert -> Optional.ofNullable(alert.urlEnv()).ifPresent(names::add));
        platform.lineage().ifPresent(lineage -> lineage.transports()
                .forEach(transport -> transport.apiKeyEnv().ifPresent(names::add)));
        policies.governance().flatMap(GovernanceSpec::piiSaltEnv).ifPresent(names::add);
        for (ProductSpec product : products) {
            for (InputSpec input : product.inputs()) {
                if (input instanceof JdbcInputSpec jdbc) {
                    names.add(jdbc.urlEnv());
                    jdbc.userEnv().ifPresent(names::add);
                    jdbc.passwordEnv().ifPresent(names::add);
                }
            }
        }
        return names;
    }

    public Map<ProductId, ProductSpec> productsById() {
        return products.stream().collect(Collectors.toMap(ProductSpec::id, Function.identity()));
    }
}
