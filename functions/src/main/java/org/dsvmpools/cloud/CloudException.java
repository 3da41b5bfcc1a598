package org.dsvmpools.cloud;

/** An ARM error, as code, HTTP status and message: the domain's view of an SDK exception. */
public final class CloudException extends RuntimeException {
    private final String code;
    private final int status;

    public CloudException(String code, int status, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.status = status;
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
