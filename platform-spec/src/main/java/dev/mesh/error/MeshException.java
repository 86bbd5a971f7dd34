package dev.mesh.error;

import static java.util.Objects.requireNonNull;

/** The one exception type of the platform; its {@link ErrorCode} decides the exit code. */
public final class MeshException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode errorCode;

    public MeshException(ErrorCode errorCode, String message) {
        super(requireNonNull(message, "message is null"));
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    public MeshException(ErrorCode errorCode, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public static MeshException invalidInput(String format, Object... args) {
        return new MeshException(ErrorCode.INVALID_INPUT, String.format(format, args));
    }

    public static MeshException accessDenied(String format, Object... args) {
        return new MeshException(ErrorCode.ACCESS_DENIED, String.format(format, args));
    }

    public static MeshException infrastructure(String message, Throwable cause) {
        return new MeshException(ErrorCode.INFRASTRUCTURE, message, cause);
    }
}
