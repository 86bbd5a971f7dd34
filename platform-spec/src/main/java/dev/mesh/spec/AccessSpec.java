package dev.mesh.spec;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** Who may read a product's output port: everyone, its own domain only, or the domains listed as consumers. */
public record AccessSpec(Visibility visibility, List<String> consumers) {
    public static final AccessSpec PUBLIC = new AccessSpec(Visibility.PUBLIC, List.of());

    public AccessSpec {
        requireNonNull(visibility, "visibility is null");
        consumers = List.copyOf(consumers);
    }

    /** Whether a product of {@code readerDomain} may read a product of {@code ownerDomain} with this access. */
    public boolean allows(String ownerDomain, String readerDomain) {
        if (ownerDomain.equals(readerDomain)) {
            return true;
        }
        return switch (visibility) {
            case PUBLIC -> true;
            case DOMAIN -> false;
            case CONSUMERS -> consumers.contains(readerDomain);
        };
    }

    /** How widely a product is visible. */
    public enum Visibility {
        PUBLIC, DOMAIN, CONSUMERS
    }
}
