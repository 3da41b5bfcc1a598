package org.dsvmpools.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.dsvmpools.testing.SshKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RosterEventsTest {
    private static final String USER = "{\"pool\":\"ml-team\",\"user\":{\"email\":\"Alice.Smith@example.org\","
            + "\"displayName\":\"Alice\",\"sshPublicKeys\":[\"" + SshKeys.ed25519() + "\"]}}";

    @Test
    void aUserAddedEventGridEventIsRead() {
        RosterEvent event = RosterEvents.read("{\"id\":\"e1\",\"eventType\":\"DsvmPools.UserAdded\",\"subject\":\"x\","
                + "\"eventTime\":\"2026-11-27T10:00:00Z\",\"dataVersion\":\"1\",\"data\":" + USER + "}");

        RosterEvent.UserAdded added = (RosterEvent.UserAdded) event;
        assertThat(added.pool().value()).isEqualTo("ml-team");
        assertThat(added.user().name().value()).isEqualTo("alice-smith");
        assertThat(added.time()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
    }

    @Test
    void theSameAsACloudEventIsReadTheSame() {
        RosterEvent event = RosterEvents.read("{\"specversion\":\"1.0\",\"id\":\"e2\",\"type\":\"DsvmPools.UserRemoved\","
                + "\"source\":\"/hr\",\"time\":\"2026-11-27T11:00:00+01:00\",\"data\":" + USER + "}");

        RosterEvent.UserRemoved removed = (RosterEvent.UserRemoved) event;
        assertThat(removed.name().value()).isEqualTo("alice-smith");
        assertThat(removed.time()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
    }

    @Test
    void aGraphGroupChangeNamesItsGroup() {
        RosterEvent event = RosterEvents.read("{\"specversion\":\"1.0\",\"id\":\"g1\",\"type\":\"Microsoft.Graph.GroupUpdated\","
                + "\"source\":\"/graph\",\"time\":\"2026-11-27T10:00:00Z\",\"data\":{\"changeType\":\"updated\","
                + "\"resource\":\"Groups/0F3A0C2E-1111-2222-3333-444455556666\"}}");

        assertThat(((RosterEvent.GroupUpdated) event).groupId()).isEqualTo("0f3a0c2e-1111-2222-3333-444455556666");
    }

    @Test
    void anUnknownTypeIsIgnoredNotFailed() {
        assertThat(RosterEvents.read("{\"id\":\"x\",\"eventType\":\"Contoso.Other\",\"eventTime\":\"2026-11-27T10:00:00Z\","
                + "\"data\":{}}")).isEqualTo(new RosterEvent.Ignored("x", "Contoso.Other"));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "not json|not JSON",
        "[]|must be a JSON object",
        "{\"eventType\":\"DsvmPools.UserAdded\"}|no id",
        "{\"id\":\"m\",\"eventType\":\"DsvmPools.UserAdded\",\"eventTime\":\"yesterday\"}|eventTime",
        "{\"id\":\"m\",\"eventType\":\"DsvmPools.UserAdded\",\"eventTime\":\"2026-11-27T10:00:00Z\",\"data\":{\"pool\":\"../x\"}}|data.pool",
        "{\"id\":\"m\",\"eventType\":\"DsvmPools.UserAdded\",\"eventTime\":\"2026-11-27T10:00:00Z\",\"data\":{\"pool\":\"ml-team\",\"user\":{\"name\":\"../root\",\"email\":\"a@b.c\"}}}|/data/user/name",
        "{\"id\":\"m\",\"eventType\":\"DsvmPools.UserRemoved\",\"eventTime\":\"2026-11-27T10:00:00Z\",\"data\":{\"pool\":\"ml-team\",\"user\":{}}}|valid name or email"
    })
    void aMalformedEventCarriesItsIdAndReason(String json, String reason) {
        RosterEvent event = RosterEvents.read(json);

        assertThat(event).isInstanceOf(RosterEvent.Malformed.class);
        assertThat(((RosterEvent.Malformed) event).reason()).contains(reason);
    }

    @Test
    void graphsSubscriptionNoticesAreReadWithTheirGroup() {
        RosterEvent read = RosterEvents.read("{\"specversion\":\"1.0\",\"id\":\"n1\",\"type\":"
                + "\"Microsoft.Graph.SubscriptionReauthorizationRequired\",\"time\":\"2026-11-27T11:00:00Z\","
                + "\"data\":{\"subscriptionId\":\"s-1\",\"resource\":\"Groups/0F3A0C2E-1111-2222-3333-444455556666\"}}");

        assertThat(read).isEqualTo(new RosterEvent.SubscriptionLifecycle("n1",
                java.time.Instant.parse("2026-11-27T11:00:00Z"), "s-1", "reauthorizationRequired",
                "0f3a0c2e-1111-2222-3333-444455556666"));
        assertThat(RosterEvents.read("{\"specversion\":\"1.0\",\"id\":\"n2\",\"type\":"
                + "\"Microsoft.Graph.SubscriptionRemoved\",\"time\":\"2026-11-27T11:00:00Z\",\"data\":{}}"))
                .isInstanceOf(RosterEvent.Malformed.class);
    }
}
