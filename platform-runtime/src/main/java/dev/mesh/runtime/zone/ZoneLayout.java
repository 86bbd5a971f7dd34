package dev.mesh.runtime.zone;

import static java.util.Objects.requireNonNull;

import dev.mesh.error.ErrorCode;
import dev.mesh.error.MeshException;
import dev.mesh.spec.model.ProductId;
import dev.mesh.spec.model.StorageSpec;
import java.net.URI;

/**
 * Where everything lives under the storage root (docs/design.md, "Zones on storage"). Every path a job writes is
 * built here, and {@link #requireInsideZone} refuses any write path outside the writing domain's zone.
 */
public final class ZoneLayout {
    public static final String PLATFORM = "_platform";

    private final String root;
    private final StorageSpec storage;

    public ZoneLayout(StorageSpec storage) {
        this.storage = requireNonNull(storage, "storage is null");
        String text = storage.root().toString();
        this.root = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    public ZoneLayout(URI root) {
        this(StorageSpec.local(root));
    }

    public StorageSpec storage() {
        return storage;
    }

    public String root() {
        return root;
    }

    /** The root of a domain's zone: a folder under the root, or in bucket mode a bucket of its own. */
    public String domain(String domain) {
        if (storage.zones() == StorageSpec.ZoneMode.BUCKET) {
            return storage.root().getScheme() + "://" + storage.bucket(domain);
        }
        return root + "/" + domain;
    }

    public String landing(String domain) {
        return domain(domain) + "/landing";
    }

    /** A source's landing folder, optionally narrowed to a sub-path or glob inside it. */
    public String landing(String domain, String sourceFolder, String subPath) {
        String folder = landing(domain) + "/" + sourceFolder;
        return subPath == null || subPath.isEmpty() ? folder : folder + "/" + subPath;
    }

    public String products(String domain) {
        return domain(domain) + "/products";
    }

    public String product(ProductId id) {
        return products(id.domain()) + "/" + id.name();
    }

    /** The table of an older major of a product kept beside its current one (the spec's {@code versions}). */
    public String keptMajor(ProductId id, int major) {
        return domain(id.domain()) + "/versions/" + id.name() + "/v" + major;
    }

    public String staging(ProductId id) {
        return domain(id.domain()) + "/staging/" + id.name();
    }

    public String quarantine(ProductId id) {
        return domain(id.domain()) + "/quarantine/" + id.name();
    }

    public String checkpoints(ProductId id) {
        return domain(id.domain()) + "/_checkpoints/" + id.name();
    }

    public String platform() {
        return root + "/" + PLATFORM;
    }

    public String platformTable(String table) {
        return platform() + "/" + table;
    }

    /** The folders provisioning creates for a domain (in bucket mode the bucket itself is the zone's root). */
    public java.util.List<String> domainFolders(String domain) {
        java.util.List<String> folders = new java.util.ArrayList<>();
        if (storage.zones() != StorageSpec.ZoneMode.BUCKET) {
            folders.add(domain(domain));
        }
        folders.addAll(java.util.List.of(landing(domain), products(domain), domain(domain) + "/staging",
                domain(domain) + "/quarantine", domain(domain) + "/_checkpoints"));
        return folders;
    }

    /** Refuses a write to {@code path} unless it lies inside {@code domain}'s zone. */
    public void requireInsideZone(String domain, String path) {
        String zone = domain(domain) + "/";
        String normalized = URI.create(path).normalize().toString();
        if (!normalized.startsWith(zone) || normalized.contains("/../")) {
            throw new MeshException(ErrorCode.INVALID_INPUT, "refused to write '" + path + "': it is outside the "
                    + "zone of domain '" + domain + "' (" + zone + "); a job writes only inside its own domain's zone");
        }
    }
}
