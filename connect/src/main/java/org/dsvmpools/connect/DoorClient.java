package org.dsvmpools.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The front door's two routes for this client, each answer a value. */
final class DoorClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI base;

    DoorClient(HttpClient http, URI base) {
        this.http = http;
        this.base = base;
    }

    /** How the door's users sign in: {@code GET /door/connect}. */
    record SignInSettings(String authority, String clientId, String scope) {
    }

    /** What {@code POST /p/{pool}/connect} answered. */
    sealed interface Answer {
        /** A seat is free at {@code host}: ssh there as {@code user}. */
        record Ready(String host, int port, String user) implements Answer {
        }

        /** @param expectedReadyAt as the door said it, or empty */
        record Waiting(String doing, String expectedReadyAt, String problem, Duration retryAfter) implements Answer {
        }

        /** The token was refused: sign in again. */
        record Unauthenticated(String detail) implements Answer {
        }

        /** No wait will change it: the door's problem document. */
        record Refused(int status, String title, String detail) implements Answer {
        }
    }

    /** Thrown when the door cannot be reached or answers what no door answers. */
    static final class DoorException extends Exception {
        DoorException(String message) {
            super(message);
        }
    }

    SignInSettings signInSettings() throws DoorException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + "/door/connect")).GET());
        JsonNode body = json(response);
        if (response.statusCode() != 200) {
            throw new DoorException(problem(response.statusCode(), body));
        }
        return new SignInSettings(body.path("authority").asText(), body.path("clientId").asText(),
                body.path("scope").asText());
    }

    Answer connect(String pool, String accessToken) throws DoorException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + "/p/" + pool + "/connect"))
                .header("Authorization", "Bearer " + accessToken).POST(HttpRequest.BodyPublishers.noBody()));
        JsonNode body = json(response);
        int status = response.statusCode();
        if (status == 200) {
            return new Answer.Ready(body.path("host").asText(), body.path("port").asInt(22), body.path("user").asText());
        }
        if (status == 202) {
            long after = response.headers().firstValueAsLong("Retry-After").orElse(5);
            return new Answer.Waiting(body.path("doing").asText(), body.path("expectedReadyAt").asText(""),
                    body.path("problem").asText(""), Duration.ofSeconds(Math.max(1, Math.min(after, 60))));
        }
        if (status == 401) {
            return new Answer.Unauthenticated(body.path("detail").asText(""));
        }
        return new Answer.Refused(status, body.path("title").asText("HTTP " + status), body.path("detail").asText(""));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws DoorException {
        try {
            return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DoorException("the front door at " + base + " cannot be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DoorException("interrupted");
        }
    }

    private JsonNode json(HttpResponse<String> response) throws DoorException {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new DoorException(base + " answered HTTP " + response.statusCode() + " with no JSON: is it a"
                    + " dsvm-pools front door?");
        }
    }

    private static String problem(int status, JsonNode body) {
        return body.path("title").asText("HTTP " + status) + ": " + body.path("detail").asText("");
    }
}
