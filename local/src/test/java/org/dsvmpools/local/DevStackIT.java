package org.dsvmpools.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.dsvmpools.kit.AzuriteProcess;
import org.dsvmpools.kit.LoopbackPorts;
import org.junit.jupiter.api.Test;

/**
 * What a user does after cloning: start the dev stack (Azurite and the host over the real functions), request
 * a pool with the printed key, and see it with GET.
 */
class DevStackIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aPoolRequestedFromTheDevStackIsAcceptedAndVisible() throws Exception {
        Path work = Files.createTempDirectory("devstack");
        Files.copy(HostProcess.repositoryRoot().resolve("local.settings.json.example"),
                work.resolve("local.settings.json.example"));
        int armPort = LoopbackPorts.free();
        try (HostProcess stack = HostProcess.start(DevStack.class,
                Map.of(FunctionHost.FUNCTION_KEY_VARIABLE, "dev-key"),
                "--root", HostProcess.repositoryRoot().toString(),
                "--settings", work.resolve("local.settings.json").toString(),
                "--data-dir", work.resolve("data").toString(),
                "--azurite-port", "" + AzuriteProcess.freePortTriple(),
                "--https-port", "" + LoopbackPorts.free(),
                "--arm-port", "" + armPort, "--files-port", "" + LoopbackPorts.free()).awaitReady("stack is up")) {

            var created = HTTP.send(HttpRequest.newBuilder(URI.create(stack.url("/api/pools")))
                    .header("x-functions-key", "dev-key").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(poolDocument())).build(),
                    HttpResponse.BodyHandlers.ofString());
            var got = HTTP.send(HttpRequest.newBuilder(URI.create(stack.url("/api/pools/ml-team")))
                    .header("x-functions-key", "dev-key").build(), HttpResponse.BodyHandlers.ofString());

            assertThat(created.statusCode()).as(stack.output()).isEqualTo(202);
            assertThat(created.headers().firstValue("Location")).hasValue("/api/pools/ml-team");
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(got.body()).path("status").asText()).isEqualTo("Accepted");
            assertThat(Files.exists(work.resolve("local.settings.json"))).as("created from the example").isTrue();
            assertThat(Files.isDirectory(work.resolve("data/azurite"))).as("Azurite persists to --data-dir").isTrue();
            assertThat(stack.output()).contains("ARM https://127.0.0.1:" + armPort + "/");
            var tls = TlsCertificate.loadOrCreate(work.resolve("data")).clientContext();
            var arm = HttpClient.newBuilder().sslContext(tls).build().send(HttpRequest.newBuilder(URI.create(
                    "https://127.0.0.1:" + armPort + "/subscriptions/s/resourceGroups/none?api-version=2021-04-01"))
                    .header("Authorization", "Bearer dev").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(arm.statusCode()).isEqualTo(404);
            assertThat(arm.body()).contains("ResourceGroupNotFound");
        }
    }

    private static String poolDocument() throws Exception {
        byte[] x509 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(blob);
        out.writeInt(11);
        out.writeBytes("ssh-ed25519");
        out.writeInt(32);
        out.write(Arrays.copyOfRange(x509, x509.length - 32, x509.length));
        String key = "ssh-ed25519 " + Base64.getEncoder().encodeToString(blob.toByteArray()) + " dev@laptop";
        return "{\"name\":\"ml-team\",\"location\":\"westeurope\",\"vmSize\":\"Standard_D4s_v5\","
                + "\"capacity\":{\"min\":0,\"max\":4,\"initial\":1},"
                + "\"access\":{\"adminUsername\":\"pooladmin\",\"sshPublicKeys\":[\"" + key + "\"],"
                + "\"allowedSourceCidrs\":[\"203.0.113.0/24\"]}}";
    }
}
