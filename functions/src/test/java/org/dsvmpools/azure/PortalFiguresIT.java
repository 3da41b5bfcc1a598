package org.dsvmpools.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.dsvmpools.door.DoorPorts;
import org.dsvmpools.emulator.AzureEmulator;
import org.dsvmpools.kit.TlsCertificate;
import org.dsvmpools.pool.Caller;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.scaling.SessionLog;
import org.dsvmpools.scaling.UsageIngestion;
import org.dsvmpools.testing.Azurite;
import org.dsvmpools.testing.InMemoryPoolRepository;
import org.dsvmpools.testing.MutableClock;
import org.dsvmpools.testing.PoolDocumentsFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The portal's two figures from their stores: sessions begun and ended as the agents' reports arrive (Azurite),
 * once each, not at every report; and a VM size's price from the Azure Retail Prices API as the
 * emulator serves it, the Linux pay-as-you-go meter picked among Windows, Spot and Low Priority ones.
 */
class PortalFiguresIT {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final PoolName POOL = new PoolName("ml-team");

    @TempDir
    Path dir;

    @Test
    void sessionsBeginAndEndAsTheReportsShowThemNotAtEachReport() {
        MutableClock clock = new MutableClock(T0);
        InMemoryPoolRepository pools = new InMemoryPoolRepository();
        pools.create(Pool.accept(PoolDocumentsFixture.spec("ml-team"), new Caller("o", "o", java.util.Set.of()), T0));
        var storage = new StorageClients(Azurite.shared().connectionString());
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        TableSessionLog log = new TableSessionLog(storage.table("sessions" + suffix));
        UsageIngestion ingestion = new UsageIngestion(pools, new TableUsageReports(storage.table("usage" + suffix)),
                clock, log);

        assertThat(ingestion.ingest(report(T0, "\"alice\"", "\"bob\""))).isInstanceOf(UsageIngestion.Outcome.Stored.class);
        clock.advance(Duration.ofSeconds(60));
        ingestion.ingest(report(T0.plusSeconds(60), "\"alice\"", "\"bob\""));
        clock.advance(Duration.ofSeconds(60));
        ingestion.ingest(report(T0.plusSeconds(120), "\"alice\""));
        clock.advance(Duration.ofSeconds(60));
        ingestion.ingest(report(T0.plusSeconds(180), "\"alice\"", "\"root\""));

        assertThat(log.of(POOL, "bob", T0)).containsExactly(new SessionLog.Span("0", T0, T0.plusSeconds(60)));
        assertThat(log.of(POOL, "alice", T0)).containsExactly(new SessionLog.Span("0", T0, null));
        assertThat(log.of(POOL, "bob", T0.plusSeconds(61))).as("ended before the week asked for").isEmpty();
        assertThat(log.of(POOL, "root", T0)).as("a system account is no pool user").isEmpty();
    }

    @Test
    void theLinuxPayAsYouGoPriceIsPickedAndKeptAndAMissingSizeSaysWhy() throws Exception {
        TlsCertificate tls = TlsCertificate.loadOrCreate(dir);
        try (AzureEmulator emulator = AzureEmulator.start(0, 0, 0.001, dir, tls.serverContext())) {
            MutableClock clock = new MutableClock(T0);
            RetailPrices prices = new RetailPrices(URI.create(emulator.retailPricesEndpoint()),
                    HttpClient.newBuilder().sslContext(tls.clientContext()).build(), clock);

            DoorPorts.ComputePrices.Priced d4 = prices.hourly("westeurope", "Standard_D4s_v5");
            assertThat(d4.amount()).isEqualTo(0.23);
            assertThat(d4.currency()).isEqualTo("USD");
            assertThat(prices.hourly("eastus", "Standard_D4s_v5").amount()).isEqualTo(0.192);
            assertThat(prices.hourly("westeurope", "Standard_Z99").why())
                    .isEqualTo("the retail price list has no Linux pay-as-you-go price for Standard_Z99 in westeurope");
            assertThat(prices.hourly("westeurope", "x' or serviceName ne '").amount())
                    .as("a quote in a value stays inside its literal").isNull();
        }
    }

    private static String report(Instant at, String... users) {
        StringBuilder sessions = new StringBuilder();
        for (String user : users) {
            sessions.append(sessions.length() == 0 ? "" : ",").append("{\"user\":").append(user)
                    .append(",\"lastActivity\":\"").append(at).append("\"}");
        }
        return "{\"v\":1,\"pool\":\"ml-team\",\"instanceId\":\"0\",\"reportedAt\":\"" + at + "\",\"lastActiveAt\":\""
                + at + "\",\"cpuPercent\":1,\"sessions\":[" + sessions + "],\"kernels\":[]}";
    }
}
