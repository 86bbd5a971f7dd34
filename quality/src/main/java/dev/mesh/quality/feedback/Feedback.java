package dev.mesh.quality.feedback;

import static java.util.Objects.requireNonNull;

import dev.mesh.spec.model.ProductId;
import java.time.Instant;

/** A consumer's feedback on a product (the last step of the paper's product lifecycle); from a domain, if named. */
public record Feedback(Instant recordedAt, ProductId product, String fromDomain, int rating, String comment) {
    public Feedback {
        requireNonNull(recordedAt, "recordedAt is null");
        requireNonNull(product, "product is null");
        if (rating < 1 || rating > 5) {
            throw new IllegalArgumentException("rating " + rating + " is not between 1 and 5");
        }
    }
}
