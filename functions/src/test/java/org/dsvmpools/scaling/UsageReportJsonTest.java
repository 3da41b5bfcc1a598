package org.dsvmpools.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.WorkItemJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageReportJsonTest {
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final String GOOD = "{\"v\":1,\"pool\":\"ml-team\",\"instanceId\":\"3\","
            + "\"reportedAt\":\"2026-11-27T09:59:30Z\",\"lastActiveAt\":\"2026-11-27T09:58:00Z\",\"cpuPercent\":12.5,"
            + "\"sessions\":[{\"user\":\"alice\",\"lastActivity\":\"2026-11-27T09:58:00Z\"}],"
            + "\"kernels\":[{\"user\":\"bob\",\"busy\":true,\"lastActivity\":\"2026-11-27T08:00:00Z\"}]}";

    @Test
    void anAgentsReportIsReadWithItsSessionsAndKernels() {
        UsageReportJson.Received received = UsageReportJson.read(GOOD, NOW);

        assertThat(received.pool()).isEqualTo(new PoolName("ml-team"));
        assertThat(received.report().instanceId()).isEqualTo("3");
        assertThat(received.report().sessions()).containsExactly(
                new UsageReport.Session("alice", Instant.parse("2026-11-27T09:58:00Z")));
        assertThat(received.report().kernels()).containsExactly(
                new UsageReport.Kernel("bob", true, Instant.parse("2026-11-27T08:00:00Z")));
        assertThat(received.report().cpuPercent()).isEqualTo(12.5);
        assertThat(received.report().lastActiveAt()).isEqualTo(Instant.parse("2026-11-27T09:58:00Z"));
    }

    @Test
    void anAgentThatHasSeenNobodySinceBootLeavesOutItsLastActivity() {
        String nobody = GOOD.replace("\"lastActiveAt\":\"2026-11-27T09:58:00Z\",", "");

        assertThat(UsageReportJson.read(nobody, NOW).report().lastActiveAt()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "\"instanceId\":\"3\"|\"instanceId\":\"../3\"|'instanceId'",
        "\"reportedAt\":\"2026-11-27T09:59:30Z\"|\"reportedAt\":\"2026-11-27T11:00:00Z\"|in the future",
        "\"reportedAt\":\"2026-11-27T09:59:30Z\"|\"reportedAt\":\"yesterday\"|'reportedAt'",
        "\"cpuPercent\":12.5|\"cpuPercent\":250|'cpuPercent'",
        "\"lastActiveAt\":\"2026-11-27T09:58:00Z\"|\"lastActiveAt\":\"2026-11-27T10:30:00Z\"|after 'reportedAt'",
        "\"lastActiveAt\":\"2026-11-27T09:58:00Z\"|\"lastActiveAt\":\"soon\"|'lastActiveAt'",
        "\"user\":\"alice\"|\"user\":\"Alice; rm -rf /\"|'sessions[].user'",
        "\"busy\":true|\"busy\":\"yes\"|'kernels[].busy'",
        "\"pool\":\"ml-team\"|\"pool\":\"ML\"|'pool'",
        "\"v\":1|\"v\":2|v 1",
        "\"cpuPercent\":12.5|\"cpuPercent\":12.5,\"admin\":true|unknown field admin",
        "\"user\":\"alice\"|\"user\":\"alice\",\"pool\":\"other\"|unknown field /sessions/pool",
        "\"busy\":true|\"busy\":true,\"pid\":1|unknown field /kernels/pid",
        "\"user\":\"alice\"|\"user\":\"alice\",\"via\":\"SSH; x\"|'sessions[].via'"
    })
    void aBadReportIsRefusedWithItsReason(String good, String bad, String reason) {
        assertThatThrownBy(() -> UsageReportJson.read(GOOD.replace(good, bad), NOW))
                .isInstanceOf(WorkItemJson.UnreadableMessageException.class).hasMessageContaining(reason);
    }

    @Test
    void aReportListingMoreSessionsThanAPoolCanHoldIsRefused() {
        StringBuilder sessions = new StringBuilder("[");
        for (int i = 0; i <= UsageReportJson.MAX_ENTRIES; i++) {
            sessions.append(i == 0 ? "" : ",").append("{\"user\":\"u").append(i)
                    .append("\",\"lastActivity\":\"2026-11-27T09:58:00Z\"}");
        }
        String huge = GOOD.replaceFirst("\"sessions\":\\[[^\\]]*\\]", "\"sessions\":" + sessions + "]");

        assertThatThrownBy(() -> UsageReportJson.read(huge, NOW)).hasMessageContaining("at most 256");
    }

    @Test
    void aReportOfMoreThan64KiBIsRefusedBeforeItIsRead() {
        String padded = GOOD.replace("\"cpuPercent\":12.5", "\"cpuPercent\":12.5" + " ".repeat(
                UsageReportJson.MAX_BYTES));
        assertThat(UsageReportJson.tooLarge(padded)).isTrue();
        assertThat(UsageReportJson.tooLarge(GOOD)).isFalse();
        assertThatThrownBy(() -> UsageReportJson.read(padded, NOW)).hasMessageContaining("larger than 65536 bytes");
        String session = ",{\"user\":\"alice\",\"lastActivity\":\"2026-11-27T09:58:00Z\",\"via\":\"ssh\"}";
        String most = GOOD.replace("}],\"kernels\"", "}" + session.repeat(UsageReportJson.MAX_ENTRIES - 1)
                + "],\"kernels\"");
        assertThat(UsageReportJson.tooLarge(most)).as("a report of 256 sessions fits").isFalse();
        assertThat(UsageReportJson.read(most, NOW).report().sessions()).hasSize(UsageReportJson.MAX_ENTRIES);
    }
}
