package dev.mesh.quality.feedback;

import java.util.List;

/** What consumers said of one product: the average rating over all their feedback, how much, and the latest few. */
public record FeedbackSummary(double averageRating, long count, List<Feedback> latest) {
    public static final FeedbackSummary NONE = new FeedbackSummary(0, 0, List.of());

    public FeedbackSummary {
        latest = List.copyOf(latest);
    }
}
