package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * One data product as its YAML file declares it. {@code hash} identifies the declaration (not its comments or
 * layout), {@code file} is where it was read from.
 */
public record ProductSpec(
        ProductId id,
        String version,
        String owner,
        String description,
        List<InputSpec> inputs,
        TransformSpec transform,
        OutputSpec output,
        QualitySpec quality,
        SlaSpec sla,
        AccessSpec access,
        Path file,
        String hash,
        List<String> tags,
        List<KeptMajor> keptMajors) {
    public ProductSpec {
        requireNonNull(id, "id is null");
        requireNonNull(version, "version is null");
        requireNonNull(owner, "owner is null");
        description = description == null ? "" : description;
        inputs = List.copyOf(inputs);
        requireNonNull(transform, "transform is null");
        requireNonNull(output, "output is null");
        requireNonNull(quality, "quality is null");
        requireNonNull(sla, "sla is null");
        requireNonNull(access, "access is null");
        requireNonNull(file, "file is null");
        requireNonNull(hash, "hash is null");
        tags = List.copyOf(tags);
        keptMajors = List.copyOf(keptMajors);
    }

    /** A product that keeps no older major. */
    public ProductSpec(ProductId id, String version, String owner, String description, List<InputSpec> inputs,
            TransformSpec transform, OutputSpec output, QualitySpec quality, SlaSpec sla, AccessSpec access, Path file,
            String hash, List<String> tags) {
        this(id, version, owner, description, inputs, transform, output, quality, sla, access, file, hash, tags,
                List.of());
    }

    /** The older major kept beside the current one, if the spec keeps it ({@code versions}). */
    public java.util.Optional<KeptMajor> kept(int major) {
        return keptMajors.stream().filter(kept -> kept.major() == major).findFirst();
    }

    /** A product without tags. */
    public ProductSpec(ProductId id, String version, String owner, String description, List<InputSpec> inputs,
            TransformSpec transform, OutputSpec output, QualitySpec quality, SlaSpec sla, AccessSpec access, Path file,
            String hash) {
        this(id, version, owner, description, inputs, transform, output, quality, sla, access, file, hash, List.of(),
                List.of());
    }

    public String domain() {
        return id.domain();
    }

    /**
     * The product with another access (granted consumers added); its hash changes with it, so that a run under the
     * new grants is not taken for one under the old (a port read outside its domain protects what it must).
     */
    public ProductSpec withAccess(AccessSpec other) {
        if (other.equals(access)) {
            return this;
        }
        String grants = other.visibility() + ":" + String.join(",", new java.util.TreeSet<>(other.consumers()));
        return new ProductSpec(id, version, owner, description, inputs, transform, output, quality, sla, other, file,
                hash + "+access:" + Integer.toHexString(grants.hashCode()), tags, keptMajors);
    }

    public String name() {
        return id.name();
    }

    /** The products this one reads, in declaration order. */
    public List<ProductId> upstream() {
        return inputs.stream()
                .filter(ProductInputSpec.class::isInstance)
                .map(input -> ((ProductInputSpec) input).product())
                .toList();
    }
}
