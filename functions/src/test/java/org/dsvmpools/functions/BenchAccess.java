package org.dsvmpools.functions;

import java.time.Clock;
import org.dsvmpools.testing.TestExecutionContext;
import org.dsvmpools.testing.TestHttpRequest;

/** Lets the benchmark call the real CreatePool function wired to chosen settings. */
public final class BenchAccess {
    private final CreatePoolFunction function;
    private final TestExecutionContext context = new TestExecutionContext("CreatePool");

    private BenchAccess(CreatePoolFunction function) {
        this.function = function;
    }

    public static BenchAccess createPool(Settings settings, Clock clock) {
        return new BenchAccess(new CreatePoolFunction(App.fromSettings(settings, clock)));
    }

    public int post(String body) {
        return function.run(TestHttpRequest.postJson("/api/pools", body), context).getStatusCode();
    }
}
