package org.dsvmpools.kit;

import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** The response a function builds; header names keep their case but are found without regard to it. */
public final class FunctionHttpResponse implements HttpResponseMessage {
    private final HttpStatusType status;
    private final Map<String, String> headers;
    private final Object body;

    private FunctionHttpResponse(HttpStatusType status, Map<String, String> headers, Object body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    @Override
    public HttpStatusType getStatus() {
        return status;
    }

    @Override
    public int getStatusCode() {
        return status.value();
    }

    @Override
    public String getHeader(String key) {
        return headers.get(key);
    }

    /** Every header the function set. */
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public Object getBody() {
        return body;
    }

    static final class Builder implements HttpResponseMessage.Builder {
        private HttpStatusType status;
        private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private Object body;
        private final Consumer<FunctionHttpResponse> observer;

        Builder(HttpStatusType status, Consumer<FunctionHttpResponse> observer) {
            this.status = status;
            this.observer = observer;
        }

        @Override
        public HttpResponseMessage.Builder status(HttpStatusType status) {
            this.status = status;
            return this;
        }

        @Override
        public HttpResponseMessage.Builder header(String key, String value) {
            headers.put(key, value);
            return this;
        }

        @Override
        public HttpResponseMessage.Builder body(Object body) {
            this.body = body;
            return this;
        }

        @Override
        public HttpResponseMessage build() {
            TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            copy.putAll(headers);
            FunctionHttpResponse response = new FunctionHttpResponse(status, copy, body);
            observer.accept(response);
            return response;
        }
    }
}
