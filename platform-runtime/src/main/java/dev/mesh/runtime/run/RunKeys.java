package dev.mesh.runtime.run;

import dev.mesh.runtime.spi.ResolvedInput;
import dev.mesh.spec.model.ProductSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The run key names what a run publishes: the product's spec hash and exactly the data it read (file names, sizes
 * and times; upstream Delta versions). Two runs with the same key publish the same rows, so the second is skipped.
 */
final class RunKeys {
    private RunKeys() {}

    static String of(ProductSpec product, List<ResolvedInput> inputs) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(product.hash().getBytes(StandardCharsets.UTF_8));
            for (ResolvedInput input : inputs) {
                digest.update((byte) 0);
                digest.update(input.name().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(input.fingerprint().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
