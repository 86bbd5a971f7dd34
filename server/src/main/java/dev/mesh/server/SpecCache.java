package dev.mesh.server;

import static java.util.Objects.requireNonNull;

import dev.mesh.error.MeshException;
import dev.mesh.spec.model.AccessSpec;
import dev.mesh.spec.model.MeshSpec;
import dev.mesh.spec.model.ProductId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The specs the server answers from: loaded at start, loaded again when a file under the platform's folder changes
 * (looked at no more than every {@code recheck}). A change that makes the mesh invalid is logged with its problems and
 * the last valid mesh goes on serving, so a bad commit to the specs does not take the API down.
 */
final class SpecCache {
    private static final Logger LOG = LoggerFactory.getLogger(SpecCache.class);

    private final Path platformFile;
    private final Supplier<MeshSpec> loader;
    private final Clock clock;
    private final Duration recheck;
    private MeshSpec current;
    private List<String> fingerprint;
    private Instant checkedAt;
    private Optional<String> problem = Optional.empty();
    private final Map<ProductId, Set<String>> revoked = new HashMap<>();
    private MeshSpec served;

    SpecCache(Path platformFile, Supplier<MeshSpec> loader, Clock clock, Duration recheck) {
        this.platformFile = requireNonNull(platformFile, "platformFile is null").toAbsolutePath();
        this.loader = requireNonNull(loader, "loader is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.recheck = requireNonNull(recheck, "recheck is null");
        this.current = loader.get();
        this.fingerprint = fingerprint();
        this.checkedAt = clock.instant();
    }

    synchronized MeshSpec mesh() {
        Instant now = clock.instant();
        if (checkedAt.plus(recheck).isAfter(now)) {
            return served();
        }
        checkedAt = now;
        List<String> seen = fingerprint();
        if (!seen.equals(fingerprint)) {
            fingerprint = seen;
            try {
                current = loader.get();
                served = null;
                revoked.clear();
                problem = Optional.empty();
                LOG.info("specs changed: loaded again");
            } catch (MeshException e) {
                problem = Optional.of(e.getMessage());
                LOG.warn("specs changed but are not valid; still serving the last valid ones: {}", e.getMessage());
            }
        }
        return served();
    }

    /**
     * A grant was revoked: until the specs load again (a revocation can leave the consumer's spec invalid, and the
     * last valid mesh then goes on being served), the mesh served has that consumer taken off the product.
     */
    synchronized void revoked(ProductId product, String consumer) {
        revoked.computeIfAbsent(product, p -> new HashSet<>()).add(consumer);
        served = null;
        invalidate();
    }

    private MeshSpec served() {
        if (revoked.isEmpty()) {
            return current;
        }
        if (served == null) {
            served = current.withProducts(current.products().stream().map(product -> {
                AccessSpec access = product.access();
                for (String consumer : revoked.getOrDefault(product.id(), Set.of())) {
                    access = access.withoutConsumer(consumer);
                }
                return product.withAccess(access);
            }).toList());
        }
        return served;
    }

    /** Loads the specs again at the next look (the access grants changed, which no file shows). */
    synchronized void invalidate() {
        fingerprint = List.of();
        checkedAt = Instant.MIN;
    }

    /** Why the specs on disk are not the ones served, if they are not. */
    synchronized Optional<String> problem() {
        return problem;
    }

    /** The platform file, the governance file and every spec file under the domains' folder, with their times. */
    private List<String> fingerprint() {
        List<String> files = new ArrayList<>();
        List<Path> roots = new ArrayList<>(List.of(platformFile, current.platform().domainsDir()));
        current.platform().governanceFile().ifPresent(roots::add);
        for (Path root : roots) {
            add(root, files);
        }
        return files;
    }

    private static void add(Path root, List<String> files) {
        if (!Files.exists(root)) {
            files.add(root + "@none");
            return;
        }
        try (Stream<Path> walk = Files.walk(root, 6)) {
            walk.filter(path -> path.toString().endsWith(".yaml") || path.toString().endsWith(".yml")
                    || path.toString().endsWith(".sql")).sorted().forEach(path -> {
                        try {
                            files.add(path + "@" + Files.getLastModifiedTime(path).toMillis() + "/"
                                    + Files.size(path));
                        } catch (IOException e) {
                            files.add(path + "@gone");
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the specs under " + root, e);
        }
    }
}
