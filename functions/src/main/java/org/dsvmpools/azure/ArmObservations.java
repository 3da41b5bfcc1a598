package org.dsvmpools.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.rest.Response;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.dsvmpools.provisioning.Observation;
import org.dsvmpools.provisioning.Outputs;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** ARM's answers read as observations: the first response of an operation, or a resource as ARM reports it. */
final class ArmObservations {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ArmObservations() {
    }

    /** The first response of a create: its body's provisioning state, or "in progress" for a bare 202. */
    static Observation begun(String id, Mono<Response<Flux<ByteBuffer>>> call) {
        ArmCalls.Begun response = ArmCalls.begin(call);
        JsonNode body = parse(response.body());
        Map<String, String> outputs = new HashMap<>();
        String principal = body.path("identity").path("principalId").asText("");
        if (!principal.isEmpty()) {
            outputs.put(Outputs.PRINCIPAL_ID, principal);
        }
        String fqdn = body.path("properties").path("dnsSettings").path("fqdn").asText("");
        if (!fqdn.isEmpty()) {
            outputs.put(Outputs.FQDN, fqdn);
        }
        for (JsonNode subnet : body.path("properties").path("subnets")) {
            outputs.put(Outputs.SUBNET_ID, subnet.path("id").asText(id + "/subnets/" + subnet.path("name").asText()));
        }
        String state = body.path("properties").path("provisioningState").asText("");
        Observation.State observed = state.isEmpty()
                ? (response.status() == 202 ? Observation.State.IN_PROGRESS : Observation.State.SUCCEEDED)
                : state(state);
        return new Observation(observed, id, outputs, retryAfter(response.headers()));
    }

    /** The first response of a delete: in progress for a 202, gone otherwise. */
    static Observation deleting(Mono<Response<Flux<ByteBuffer>>> call) {
        ArmCalls.Begun response = ArmCalls.begin(call);
        return response.status() == 202
                ? new Observation(Observation.State.IN_PROGRESS, null, Map.of(), retryAfter(response.headers()))
                : Observation.missing();
    }

    /**
     * A resource as read: its provisioning state (none means it is there), what later steps need of it, and its
     * tags (none read as none), which say whether the pool made it.
     */
    static Observation seen(String id, Object provisioningState, Map<String, String> outputs,
                            Map<String, String> tags) {
        return new Observation(provisioningState == null ? Observation.State.SUCCEEDED
                : state(provisioningState.toString()), id, outputs).withTags(tags);
    }

    private static Observation.State state(String provisioningState) {
        return switch (provisioningState.toLowerCase(Locale.ROOT)) {
            case "succeeded" -> Observation.State.SUCCEEDED;
            case "failed", "canceled" -> Observation.State.FAILED;
            default -> Observation.State.IN_PROGRESS;
        };
    }

    private static Duration retryAfter(HttpHeaders headers) {
        String value = headers.getValue(HttpHeaderName.RETRY_AFTER);
        try {
            return value == null ? null : Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
