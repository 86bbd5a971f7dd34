package dev.mesh.runtime.storage;

import dev.mesh.error.PlainMessages;
import dev.mesh.spec.model.StorageSpec;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Recognises a failure that means the store did not answer (refused or timed-out connections, an unknown host), among
 * the layers of Spark, Delta, S3A and the AWS SDK that wrap it, and says so in one plain line.
 */
public final class StoreOutage {
    private StoreOutage() {}

    /**
     * "the store at http://host:port did not answer (Read timed out)", if that is what failed; {@code storage} names
     * the store.
     */
    public static Optional<String> describe(Throwable failure, StorageSpec storage) {
        Throwable network = null;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            // the deepest one says plainly what the socket saw
            if (cause instanceof ConnectException || cause instanceof SocketTimeoutException
                    || cause instanceof UnknownHostException || cause instanceof NoRouteToHostException
                    || cause.getClass().getName().endsWith("ConnectTimeoutException")) {
                network = cause;
            }
        }
        if (network == null) {
            return Optional.empty();
        }
        return Optional.of(StorageBackends.of(storage).describe(storage) + " did not answer (" + PlainMessages.of(network) + ")");
    }
}
