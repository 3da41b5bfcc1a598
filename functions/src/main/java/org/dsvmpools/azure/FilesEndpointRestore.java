package org.dsvmpools.azure;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.net.URL;
import reactor.core.publisher.Mono;

/**
 * ShareServiceClientBuilder 12.29.1 cuts a custom endpoint down to scheme and host. The local emulator serves
 * Files on its own port under the account's path, so this policy puts both back on every try (SharedKey signing
 * is unaffected). Only clients of the emulator need it; Azure's endpoints have neither.
 */
public final class FilesEndpointRestore implements HttpPipelinePolicy {
    private final int port;
    private final String accountPath;

    public FilesEndpointRestore(int port, String account) {
        this.port = port;
        this.accountPath = "/" + account;
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        URL url = context.getHttpRequest().getUrl();
        if (url.getPort() != port) {
            String path = url.getPath().startsWith(accountPath + "/") || url.getPath().equals(accountPath)
                    ? url.getPath() : accountPath + url.getPath();
            String query = url.getQuery() == null ? "" : "?" + url.getQuery();
            context.getHttpRequest().setUrl(url.getProtocol() + "://" + url.getHost() + ":" + port + path + query);
        }
        return next.process();
    }

    @Override
    public HttpPipelinePosition getPipelinePosition() {
        return HttpPipelinePosition.PER_RETRY;
    }
}
