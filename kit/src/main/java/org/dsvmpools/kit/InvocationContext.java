package org.dsvmpools.kit;

import com.microsoft.azure.functions.ExecutionContext;
import java.util.UUID;
import java.util.logging.Logger;

/** The context of one invocation: a logger named for the function, a fresh invocation id, the function name. */
public final class InvocationContext implements ExecutionContext {
    private final String functionName;
    private final String invocationId;
    private final Logger logger;

    public InvocationContext(String functionName) {
        this(functionName, UUID.randomUUID().toString());
    }

    public InvocationContext(String functionName, String invocationId) {
        this.functionName = functionName;
        this.invocationId = invocationId;
        this.logger = Logger.getLogger("Function." + functionName);
    }

    @Override
    public Logger getLogger() {
        return logger;
    }

    @Override
    public String getInvocationId() {
        return invocationId;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }
}
