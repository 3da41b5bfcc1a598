package org.dsvmpools.cloud;

/** An ARM error, as code, HTTP status and message: the domain's view of an SDK exception. */
public final class CloudException extends RuntimeException {
    private final String code;
    private final int status;
    private final java.time.Duration retryAfter;

    public CloudException(String code, int status, String message, Throwable cause) {
        this(code, status, message, cause, null);
    }

    /** @param retryAfter how long Azure asked the caller to wait ({@code Retry-After}); null when it said nothing */
    public CloudException(String code, int status, String message, Throwable cause, java.time.Duration retryAfter) {
        super(message, cause);
        this.code = code;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public java.util.Optional<java.time.Duration> retryAfter() {
        return java.util.Optional.ofNullable(retryAfter);
    }

    /** Azure refused the call for its rate: 429, the status ARM and Compute throttle with. */
    public boolean throttled() {
        return status == 429;
    }

    public String code() {
        return code;
    }

    /** The code to show a user: ARM's, or the HTTP status when the response carried none. */
    public String reportedCode() {
        return code != null ? code : status == 0 ? "NoResponse" : "HttpStatus" + status;
    }

    public int status() {
        return status;
    }

    public ArmErrorClass classification() {
        return ArmErrors.classify(code, status);
    }
}
