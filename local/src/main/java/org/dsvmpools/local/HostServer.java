package org.dsvmpools.local;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.dsvmpools.kit.LoopbackServers;

/** The host's listeners on loopback: HTTP always, HTTPS when a certificate is given; the same endpoints on both. */
final class HostServer {
    private final Map<String, HttpHandler> contexts = new LinkedHashMap<>();
    private final ExecutorService executor = Executors.newFixedThreadPool(16);
    private HttpServer http;
    private HttpsServer https;

    HostServer handle(String path, HttpHandler handler) {
        contexts.put(path, handler);
        return this;
    }

    int startHttp(int port) throws IOException {
        http = LoopbackServers.http(port);
        register(http);
        return http.getAddress().getPort();
    }

    int startHttps(int port, SSLContext tls) throws IOException {
        https = LoopbackServers.https(port, tls);
        register(https);
        return https.getAddress().getPort();
    }

    private void register(HttpServer server) {
        contexts.forEach(server::createContext);
        server.setExecutor(executor);
        server.start();
    }

    void stop() {
        if (http != null) {
            http.stop(0);
        }
        if (https != null) {
            https.stop(0);
        }
        executor.shutdownNow();
    }
}
