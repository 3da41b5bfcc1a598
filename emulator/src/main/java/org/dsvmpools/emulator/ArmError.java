package org.dsvmpools.emulator;

/** An ARM error response: {@code {"error":{"code","message","target"}}} with its HTTP status. */
final class ArmError extends RuntimeException {
    final int status;
    final String code;
    /** The JSON path of the offending value, or null. */
    final String target;

    ArmError(int status, String code, String message) {
        this(status, code, message, null);
    }

    ArmError(int status, String code, String message, String target) {
        super(message);
        this.status = status;
        this.code = code;
        this.target = target;
    }

    static ArmError notFound(ArmPath path) {
        return new ArmError(404, "ResourceNotFound", "The Resource '" + path.resourceType() + "/" + path.name()
                + "' under resource group '" + path.resourceGroup() + "' was not found.");
    }

    static ArmError groupNotFound(String group) {
        return new ArmError(404, "ResourceGroupNotFound", "Resource group '" + group + "' could not be found.");
    }

    static ArmError invalid(String message) {
        return new ArmError(400, "InvalidParameter", message);
    }
}
