package org.dsvmpools.kit.arm;

/**
 * What ARM answers to a request it refuses: the HTTP status, ARM's error code, a message and the JSON path of
 * the offending value ({@code target}, as ARM's error responses carry it; {@code null} when the whole request
 * is at fault).
 */
public record ArmViolation(int status, String code, String message, String target) {

    static ArmViolation badRequest(String code, String message, String target) {
        return new ArmViolation(400, code, message, target);
    }
}
