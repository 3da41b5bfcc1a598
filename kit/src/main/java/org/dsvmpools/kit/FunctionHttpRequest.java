package org.dsvmpools.kit;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The request a function receives, as the Java worker builds it. Headers are looked up without regard to case,
 * as HTTP wants; query parameters arrive decoded; the body is the type the trigger parameter declares.
 */
public final class FunctionHttpRequest<T> implements HttpRequestMessage<T> {
    private final URI uri;
    private final HttpMethod method;
    private final Map<String, String> headers;
    private final Map<String, String> query;
    private final T body;
    private final Consumer<FunctionHttpResponse> observer;

    public FunctionHttpRequest(URI uri, HttpMethod method, Map<String, String> headers, Map<String, String> query,
                               T body) {
        this(uri, method, headers, query, body, response -> { });
    }

    private FunctionHttpRequest(URI uri, HttpMethod method, Map<String, String> headers, Map<String, String> query,
                                T body, Consumer<FunctionHttpResponse> observer) {
        this.observer = observer;
        this.uri = uri;
        this.method = method;
        TreeMap<String, String> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        caseInsensitive.putAll(headers);
        this.headers = caseInsensitive;
        this.query = Map.copyOf(query);
        this.body = body;
    }

    /** The same request with one more header. */
    public FunctionHttpRequest<T> withHeader(String name, String value) {
        Map<String, String> more = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        more.putAll(headers);
        more.put(name, value);
        return new FunctionHttpRequest<>(uri, method, more, query, body, observer);
    }

    /** The same request, whose every response is also handed to {@code observer} as it is built. */
    public FunctionHttpRequest<T> observedBy(Consumer<FunctionHttpResponse> observer) {
        return new FunctionHttpRequest<>(uri, method, headers, query, body, observer);
    }

    @Override
    public URI getUri() {
        return uri;
    }

    @Override
    public HttpMethod getHttpMethod() {
        return method;
    }

    @Override
    public Map<String, String> getHeaders() {
        return headers;
    }

    @Override
    public Map<String, String> getQueryParameters() {
        return query;
    }

    @Override
    public T getBody() {
        return body;
    }

    @Override
    public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
        return new FunctionHttpResponse.Builder(status, observer);
    }

    @Override
    public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
        return new FunctionHttpResponse.Builder(status, observer);
    }
}
