package org.dsvmpools.local;

import java.lang.reflect.Method;
import java.util.List;

/**
 * One function as discovered from its {@code @FunctionName} method: the same facts azure-functions-maven-plugin
 * writes into function.json, read from the same annotations.
 */
public record FunctionDefinition(String name, Method method, Trigger trigger, List<Parameter> parameters) {

    public FunctionDefinition {
        parameters = List.copyOf(parameters);
    }

    /** What starts an invocation. */
    public sealed interface Trigger {
    }

    public record HttpTriggerDef(String route, List<String> methods, String authLevel) implements Trigger {
    }

    public record TimerTriggerDef(String schedule) implements Trigger {
    }

    public record QueueTriggerDef(String queueName, String connection) implements Trigger {
    }

    public record EventGridTriggerDef() implements Trigger {
    }

    /** How each parameter of the method is filled. */
    public sealed interface Parameter {
    }

    /** The trigger's payload: the HTTP request, the timer info JSON, the queue message. */
    public record TriggerPayload(Class<?> type) implements Parameter {
    }

    public record Context() implements Parameter {
    }

    /** A route parameter or a trigger's binding data, by name. */
    public record BindingData(String name) implements Parameter {
    }

    public record QueueOutputDef(String queueName, String connection) implements Parameter {
    }
}
