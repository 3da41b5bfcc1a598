package org.dsvmpools.functions;

import java.time.Clock;
import org.dsvmpools.kit.InvocationContext;
import org.dsvmpools.testing.Requests;

/** Lets the benchmark call the real CreatePool function wired to chosen settings. */
public final class BenchAccess {
    private final CreatePoolFunction function;
    private final InvocationContext context = new InvocationContext("CreatePool");

    private BenchAccess(CreatePoolFunction function) {
        this.function = function;
    }

    public static BenchAccess createPool(Settings settings, Clock clock) {
        return new BenchAccess(new CreatePoolFunction(App.fromSettings(settings, clock)));
    }

    public int post(String body) {
        return function.run(Requests.postJson("/api/pools", body), context).getStatusCode();
    }
}
