package org.dsvmpools.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/** Wall time spent in each method of the ports a use case calls, summed over threads: where a benchmark's time goes. */
final class StepTimes {
    private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();

    <T> T timed(Class<T> port, T target) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
            long start = System.nanoTime();
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                nanos.computeIfAbsent(port.getSimpleName() + "." + method.getName(), k -> new LongAdder())
                        .add(System.nanoTime() - start);
            }
        }));
    }

    void clear() {
        nanos.clear();
    }

    /** Milliseconds per unit of work in each method, slowest first. */
    String perCall(int units) {
        return new TreeMap<>(nanos).entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
                .map(e -> String.format(Locale.ROOT, "%s %.1f ms", e.getKey(), e.getValue().sum() / 1e6 / units))
                .collect(Collectors.joining(", "));
    }
}
