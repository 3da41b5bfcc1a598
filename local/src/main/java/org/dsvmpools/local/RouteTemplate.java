package org.dsvmpools.local;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP trigger route such as {@code pools/{name}}: literal segments match without regard to case (as ASP.NET
 * routing does), {@code {param}} segments capture one decoded path segment; {@code {param:constraint}} is read as
 * {@code {param}}.
 */
record RouteTemplate(List<String> segments) {

    static RouteTemplate parse(String route) {
        String trimmed = route.startsWith("/") ? route.substring(1) : route;
        return new RouteTemplate(trimmed.isEmpty() ? List.of() : List.of(trimmed.split("/")));
    }

    /** The captured parameters when {@code path} (below the route prefix) matches. */
    Optional<Map<String, String>> match(List<String> path) {
        if (path.size() != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> parameters = new HashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            String actual = URLDecoder.decode(path.get(i).replace("+", "%2B"), StandardCharsets.UTF_8);
            if (segment.startsWith("{") && segment.endsWith("}")) {
                String name = segment.substring(1, segment.length() - 1).split(":", 2)[0];
                parameters.put(name, actual);
            } else if (!segment.equalsIgnoreCase(actual)) {
                return Optional.empty();
            }
        }
        return Optional.of(parameters);
    }
}
