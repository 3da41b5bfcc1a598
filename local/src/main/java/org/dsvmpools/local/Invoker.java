package org.dsvmpools.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.OutputBinding;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.dsvmpools.kit.InvocationContext;

/**
 * Calls a function as the Java worker does: a new instance of its class per invocation, parameters filled from
 * the trigger and binding data, output bindings collected after it returns. Each invocation is logged on one
 * structured line: function, invocation id, duration, outcome.
 */
final class Invoker {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A finished invocation: what the method returned; its output bindings are written already. */
    record Result(Object returned) {
    }

    private record Output(FunctionDefinition.QueueOutputDef binding, Binding<Object> holder) {
    }

    private final QueueClients queues;

    Invoker(QueueClients queues) {
        this.queues = queues;
    }

    Result invoke(FunctionDefinition function, Object payload, Map<String, ?> bindingData) throws Exception {
        String invocationId = UUID.randomUUID().toString();
        long start = System.nanoTime();
        String outcome = "Succeeded";
        try {
            List<Output> outputs = new ArrayList<>();
            Object[] arguments = arguments(function, payload, bindingData, invocationId, outputs);
            Object instance = function.method().getDeclaringClass().getDeclaredConstructor().newInstance();
            Object returned = function.method().invoke(instance, arguments);
            writeOutputs(outputs);
            return new Result(returned);
        } catch (InvocationTargetException e) {
            outcome = "Failed";
            // An Error (a class that failed to load, say) is reported as itself, not as a bare wrapper.
            throw e.getCause() instanceof Exception cause ? cause
                    : new IllegalStateException(String.valueOf(e.getCause()), e.getCause());
        } catch (Exception e) {
            outcome = "Failed";
            throw e;
        } finally {
            log(function.name(), invocationId, (System.nanoTime() - start) / 1_000_000, outcome);
        }
    }

    private static Object[] arguments(FunctionDefinition function, Object payload, Map<String, ?> bindingData,
                                      String invocationId, List<Output> outputs) {
        Object[] arguments = new Object[function.parameters().size()];
        for (int i = 0; i < arguments.length; i++) {
            FunctionDefinition.Parameter parameter = function.parameters().get(i);
            if (parameter instanceof FunctionDefinition.TriggerPayload) {
                arguments[i] = payload;
            } else if (parameter instanceof FunctionDefinition.Context) {
                arguments[i] = new InvocationContext(function.name(), invocationId);
            } else if (parameter instanceof FunctionDefinition.BindingData data) {
                arguments[i] = bindingValue(bindingData, data.name());
            } else if (parameter instanceof FunctionDefinition.QueueOutputDef queue) {
                Binding<Object> binding = new Binding<>();
                arguments[i] = binding;
                outputs.add(new Output(queue, binding));
            }
        }
        return arguments;
    }

    /** Binding data by name, ignoring case as the Java worker does ({@code DequeueCount}, {@code dequeueCount}). */
    private static Object bindingValue(Map<String, ?> bindingData, String name) {
        return bindingData.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /** Output bindings are written after the function returns, and only when it succeeded, as the host does. */
    private void writeOutputs(List<Output> outputs) {
        for (Output output : outputs) {
            Object value = output.holder().getValue();
            if (value != null) {
                queues.send(output.binding().connection(), output.binding().queueName(), value.toString());
            }
        }
    }

    private static void log(String function, String invocationId, long millis, String outcome) {
        ObjectNode line = JSON.createObjectNode()
                .put("function", function)
                .put("invocationId", invocationId)
                .put("durationMs", millis)
                .put("outcome", outcome);
        System.out.println(line);
    }

    /** An output binding the function sets; read after it returns. */
    static final class Binding<T> implements OutputBinding<T> {
        private T value;

        @Override
        public T getValue() {
            return value;
        }

        @Override
        public void setValue(T value) {
            this.value = value;
        }
    }
}
