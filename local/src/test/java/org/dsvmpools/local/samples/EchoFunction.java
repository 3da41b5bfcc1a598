package org.dsvmpools.local.samples;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;

/** Test sample: echoes what the host handed it, so tests can check the request the function saw. */
public final class EchoFunction {

    @FunctionName("Echo")
    public HttpResponseMessage echo(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET, HttpMethod.POST}, route = "echo/{word}",
                    authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request,
            @BindingName("word") String word,
            ExecutionContext context) {
        String json = "{\"word\":\"" + word + "\",\"q\":\"" + request.getQueryParameters().getOrDefault("q", "")
                + "\",\"header\":\"" + request.getHeaders().getOrDefault("X-SAMPLE", "") + "\",\"body\":\""
                + request.getBody().orElse("") + "\",\"function\":\"" + context.getFunctionName()
                + "\",\"method\":\"" + request.getHttpMethod() + "\"}";
        return request.createResponseBuilder(HttpStatus.CREATED).header("Content-Type", "application/json")
                .header("X-Echo", word).body(json).build();
    }

    @FunctionName("Open")
    public HttpResponseMessage open(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, route = "open",
                    authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<byte[]>> request) {
        return request.createResponseBuilder(HttpStatus.OK).body("open to all".getBytes()).build();
    }

    @FunctionName("Broken")
    public HttpResponseMessage broken(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, route = "broken",
                    authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> request) {
        throw new IllegalStateException("sample failure");
    }
}
