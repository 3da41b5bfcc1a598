package org.dsvmpools.kit;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;

/**
 * The JDK's HTTP servers on 127.0.0.1, with Nagle's algorithm off. The JDK server writes a response's headers and
 * its body separately; with Nagle on, the body waits for the client's delayed ACK of the headers, 40 ms on Linux,
 * so every response with a body took 40 ms more than the work it stood for. Azure's front ends answer without
 * such a pause, and neither must the local stack.
 */
public final class LoopbackServers {
    static {
        // Read once, when the JDK server's configuration class loads: set before any server is made.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final int BACKLOG = 64;

    private LoopbackServers() {
    }

    public static HttpServer http(int port) throws IOException {
        return HttpServer.create(new InetSocketAddress("127.0.0.1", port), BACKLOG);
    }

    public static HttpsServer https(int port, SSLContext tls) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), BACKLOG);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return server;
    }
}
