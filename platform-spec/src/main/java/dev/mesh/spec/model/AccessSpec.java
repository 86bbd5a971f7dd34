package dev.mesh.spec.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Who may read a product's output port: everyone, its own domain only, or the domains listed as consumers; and which
 * reading domains may publish what they derive from it more widely than this port is visible ({@code republish}).
 */
public record AccessSpec(Visibility visibility, List<String> consumers, List<String> republish) {
    public static final AccessSpec PUBLIC = new AccessSpec(Visibility.PUBLIC, List.of());

    public AccessSpec {
        requireNonNull(visibility, "visibility is null");
        consumers = List.copyOf(consumers);
        republish = List.copyOf(republish);
    }

    public AccessSpec(Visibility visibility, List<String> consumers) {
        this(visibility, consumers, List.of());
    }

    /**
     * The domains, beside {@code ownerDomain}, that this port lets read, of {@code everyone}; all of them when
     * public.
     */
    public java.util.Set<String> audience(String ownerDomain, java.util.Collection<String> everyone) {
        java.util.Set<String> audience = new java.util.TreeSet<>();
        audience.add(ownerDomain);
        switch (visibility) {
            case PUBLIC -> audience.addAll(everyone);
            case CONSUMERS -> audience.addAll(consumers);
            case DOMAIN -> { }
        }
        return audience;
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

    /**
     * This access with {@code granted} domains added as consumers (approved access requests): a public port is
     * unchanged, a port of the domain alone becomes one its new consumers read too.
     */
    public AccessSpec withGranted(java.util.Collection<String> granted) {
        if (visibility == Visibility.PUBLIC || granted.isEmpty()) {
            return this;
        }
        java.util.Set<String> all = new java.util.LinkedHashSet<>(consumers);
        all.addAll(granted);
        return new AccessSpec(Visibility.CONSUMERS, List.copyOf(all), republish);
    }

    /**
     * This access without {@code consumer} (a grant revoked): a port it was the last consumer of is kept to its
     * domain; a public port is unchanged.
     */
    public AccessSpec withoutConsumer(String consumer) {
        if (visibility != Visibility.CONSUMERS || !consumers.contains(consumer)) {
            return this;
        }
        List<String> rest = consumers.stream().filter(domain -> !domain.equals(consumer)).toList();
        return new AccessSpec(rest.isEmpty() ? Visibility.DOMAIN : Visibility.CONSUMERS, rest, republish);
    }

    /** How widely a product is visible. */
    public enum Visibility {
        PUBLIC, DOMAIN, CONSUMERS
    }
}
