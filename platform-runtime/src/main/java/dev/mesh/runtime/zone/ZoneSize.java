package dev.mesh.runtime.zone;

import static java.util.Objects.requireNonNull;

/** How much one zone folder of a domain holds: bytes and files, as the store reports them. */
public record ZoneSize(String domain, String zone, long bytes, long files) {
    public ZoneSize {
        requireNonNull(domain, "domain is null");
        requireNonNull(zone, "zone is null");
    }
}
