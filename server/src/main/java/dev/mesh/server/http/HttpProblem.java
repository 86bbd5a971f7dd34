package dev.mesh.server.http;

import static java.util.Objects.requireNonNull;

/**
 * A request the server answers with an error status and one line in the platform's words: every error body is
 * {@code {"status": 404, "error": "not_found", "message": "..."}}. Failures of the platform itself arrive as
 * {@link dev.mesh.error.MeshException} and are mapped by their code.
 */
public final class HttpProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    private HttpProblem(int status, String message) {
        super(requireNonNull(message, "message is null"), null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static HttpProblem badRequest(String message) {
        return new HttpProblem(400, message);
    }

    public static HttpProblem unauthorized(String message) {
        return new HttpProblem(401, message);
    }

    public static HttpProblem forbidden(String message) {
        return new HttpProblem(403, message);
    }

    public static HttpProblem notFound(String message) {
        return new HttpProblem(404, message);
    }

    public static HttpProblem conflict(String message) {
        return new HttpProblem(409, message);
    }

    public static HttpProblem tooLarge(String message) {
        return new HttpProblem(413, message);
    }

    public static HttpProblem tooMany(String message) {
        return new HttpProblem(429, message);
    }

    public static HttpProblem unavailable(String message) {
        return new HttpProblem(503, message);
    }

    /** The snake-case name of a status, the {@code error} field of the body. */
    public static String errorName(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "conflict";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 429 -> "too_many_requests";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal_error" : "error";
        };
    }
}
