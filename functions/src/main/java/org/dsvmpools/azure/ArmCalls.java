package org.dsvmpools.azure;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.rest.Response;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.util.FluxUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.dsvmpools.cloud.CloudException;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The one place where resource-manager SDK exceptions become the domain's {@link CloudException}. */
final class ArmCalls {
    private ArmCalls() {
    }

    /** The first response of a long-running operation, read whole. */
    record Begun(int status, HttpHeaders headers, byte[] body) {
    }

    /** Sends the first request of a long-running operation and reads its answer; never polls the operation. */
    static Begun begin(Mono<Response<Flux<ByteBuffer>>> operation) {
        return call(() -> {
            Response<Flux<ByteBuffer>> response = operation.block();
            byte[] body = FluxUtil.collectBytesInByteBufferStream(response.getValue()).defaultIfEmpty(new byte[0])
                    .block();
            return new Begun(response.getStatusCode(), response.getHeaders(), body);
        });
    }

    /**
     * ARM's and Compute's {@code Retry-After}, in seconds as ARM documents it for throttled requests ("Retry-After:
     * the number of seconds to wait", Understand how Azure Resource Manager throttles requests), or the
     * milliseconds headers azure-core also honours; null when absent or not a number.
     */
    static java.time.Duration retryAfter(HttpHeaders headers) {
        if (headers == null) {
            return null;
        }
        for (String name : new String[] {"retry-after-ms", "x-ms-retry-after-ms"}) {
            String millis = headers.getValue(com.azure.core.http.HttpHeaderName.fromString(name));
            if (millis != null && millis.trim().matches("\\d{1,9}")) {
                return java.time.Duration.ofMillis(Long.parseLong(millis.trim()));
            }
        }
        String seconds = headers.getValue(com.azure.core.http.HttpHeaderName.RETRY_AFTER);
        return seconds != null && seconds.trim().matches("\\d{1,9}")
                ? java.time.Duration.ofSeconds(Long.parseLong(seconds.trim())) : null;
    }

    /** Runs an SDK call, translating its exceptions: ARM's error code and status when there was a response. */
    static <T> T call(Supplier<T> sdkCall) {
        try {
            return sdkCall.get();
        } catch (ManagementException e) {
            String code = e.getValue() == null ? null : e.getValue().getCode();
            String message = e.getValue() == null ? e.getMessage() : e.getValue().getMessage();
            throw new CloudException(code, e.getResponse().getStatusCode(), message, e,
                    retryAfter(e.getResponse().getHeaders()));
        } catch (HttpResponseException e) {
            throw new CloudException(null, e.getResponse().getStatusCode(), e.getMessage(), e,
                    retryAfter(e.getResponse().getHeaders()));
        } catch (RuntimeException e) {
            Throwable cause = Exceptions.unwrap(e);
            if (cause instanceof IOException || cause instanceof UncheckedIOException
                    || cause instanceof TimeoutException) {
                throw new CloudException(null, 0, "no answer from Azure Resource Manager: " + cause, e);
            }
            throw e;
        }
    }
}
