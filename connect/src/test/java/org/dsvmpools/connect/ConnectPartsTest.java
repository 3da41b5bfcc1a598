package org.dsvmpools.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's small rules: which door, where to dial, what ssh is run with, how the sign-in is kept. */
class ConnectPartsTest {
    @TempDir
    Path dir;

    @Test
    void aPoolIsItsAddressOrItsNameWithTheDoorAndNeverPlainHttpOffThisMachine() {
        DoorAddress.Result address = DoorAddress.parse("https://app.azurewebsites.net/api/p/ml-team/", Optional.empty());
        assertThat(address.address()).isEqualTo(new DoorAddress(URI.create("https://app.azurewebsites.net/api"),
                "ml-team"));
        assertThat(DoorAddress.parse("ml-team", Optional.of("https://app.azurewebsites.net/api/")).address())
                .isEqualTo(address.address());
        assertThat(DoorAddress.parse("ml-team", Optional.empty()).problem()).contains("which front door?")
                .contains("DSVMPOOLS_DOOR");
        assertThat(DoorAddress.parse("http://app.example.com/api/p/ml-team", Optional.empty()).problem())
                .contains("is not https");
        assertThat(DoorAddress.parse("http://127.0.0.1:7071/api/p/ml-team", Optional.empty()).problem()).isNull();
        assertThat(DoorAddress.parse("https://app.example.com/api/pools", Optional.empty()).problem())
                .contains("has no /p/<pool>");
        assertThat(DoorAddress.parse("../../admin", Optional.of("https://app.example.com/api")).problem())
                .as("nothing but a name goes into the door's path").contains("is not a pool name");
    }

    @Test
    void connectToSendsOneAddressElsewhereAsCurlsOptionDoes() {
        var rule = SshHandoff.ConnectTo.parse("pool.example.com:22:127.0.0.1:2222").orElseThrow();
        assertThat(SshHandoff.dial("POOL.example.com", 22, List.of(rule)))
                .isEqualTo(InetSocketAddress.createUnresolved("127.0.0.1", 2222));
        assertThat(SshHandoff.dial("other.example.com", 22, List.of(rule)))
                .isEqualTo(InetSocketAddress.createUnresolved("other.example.com", 22));
        assertThat(SshHandoff.dial("x", 22, List.of(SshHandoff.ConnectTo.parse(":0:jump:22").orElseThrow())))
                .as("an empty host and port 0 match any").isEqualTo(InetSocketAddress.createUnresolved("jump", 22));
        assertThat(SshHandoff.ConnectTo.parse("pool:22:127.0.0.1")).isEmpty();
        assertThat(SshHandoff.ConnectTo.parse("pool:ssh:127.0.0.1:22")).isEmpty();
    }

    @Test
    void sshGetsTheAccountThePortAndTheAliasThenTheUsersOwnArgumentsAfterTheDestination() {
        List<String> command = SshHandoff.sshCommand(new DoorClient.Answer.Ready("pool.example.com", 22, "alice"),
                InetSocketAddress.createUnresolved("127.0.0.1", 2222), List.of("-L", "8888:localhost:8888", "uptime"));
        assertThat(command).containsExactly("ssh", "-p", "2222", "-o", "HostKeyAlias=pool.example.com", "-l", "alice",
                "127.0.0.1", "-L", "8888:localhost:8888", "uptime");
    }

    @Test
    void theSignInIsKeptInAFileOnlyTheUserReadsAndADamagedOneCostsOnlyASignIn() throws Exception {
        TokenCache cache = new TokenCache(dir.resolve("cache"));
        Instant end = Instant.parse("2026-03-02T10:00:00Z");
        cache.write("door", new TokenCache.Entry("access", end, "refresh"));

        assertThat(cache.read("door")).contains(new TokenCache.Entry("access", end, "refresh"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("cache/tokens.json"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("cache"))))
                .isEqualTo("rwx------");
        cache.remove("door");
        assertThat(cache.read("door")).isEmpty();
        Files.writeString(dir.resolve("cache/tokens.json"), "{not json");
        assertThat(cache.read("door")).isEmpty();
        cache.write("door", new TokenCache.Entry("again", end, null));
        assertThat(cache.read("door").orElseThrow().refreshToken()).isNull();
    }

    @Test
    void durationsAreWrittenAsPeopleWriteThem() {
        var converter = new ConnectCommand.DurationConverter();
        assertThat(converter.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(converter.convert("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(converter.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(converter.convert("PT2M")).isEqualTo(Duration.ofMinutes(2));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> converter.convert("soon"))
                .hasMessageContaining("'soon' is not a duration");
    }
}
