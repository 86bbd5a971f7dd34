package dev.mesh.runtime.storage;

import dev.mesh.error.MeshException;
import dev.mesh.runtime.spi.StorageBackend;
import dev.mesh.spec.model.StorageSpec;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** The storage backends on the classpath, by URI scheme. */
public final class StorageBackends {
    private static final Map<String, StorageBackend> BY_SCHEME = load();

    private StorageBackends() {}

    /** The backend of {@code storage}'s root; a root whose scheme no backend serves is refused, naming those known. */
    public static StorageBackend of(StorageSpec storage) {
        String scheme = Optional.ofNullable(storage.root().getScheme()).orElse("file").toLowerCase(Locale.ROOT);
        return forScheme(scheme).orElseThrow(() -> MeshException.invalidInput("storage root %s: no storage backend "
                + "serves '%s'; known: %s", storage.root(), scheme, String.join(", ", BY_SCHEME.keySet())));
    }

    /** The backend serving {@code scheme}, if any. */
    public static Optional<StorageBackend> forScheme(String scheme) {
        return Optional.ofNullable(BY_SCHEME.get(scheme.toLowerCase(Locale.ROOT)));
    }

    private static Map<String, StorageBackend> load() {
        Map<String, StorageBackend> backends = new LinkedHashMap<>();
        for (StorageBackend backend : ServiceLoader.load(StorageBackend.class, StorageBackends.class.getClassLoader())) {
            for (String scheme : backend.schemes()) {
                StorageBackend other = backends.putIfAbsent(scheme.toLowerCase(Locale.ROOT), backend);
                if (other != null) {
                    throw new IllegalStateException("two storage backends serve '" + scheme + "': "
                            + other.getClass().getName() + " and " + backend.getClass().getName());
                }
            }
        }
        return java.util.Collections.unmodifiableMap(backends);
    }
}
