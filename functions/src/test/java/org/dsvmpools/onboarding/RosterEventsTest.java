package org.dsvmpools.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.dsvmpools.testing.SshKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RosterEventsTest {
    /** When the events below are delivered: after every time they carry. */
    private static final Instant RECEIVED = Instant.parse("2026-11-28T00:00:00Z");

    private static RosterEvent read(String text) {
        return RosterEvents.read(text, RECEIVED);
    }

    /** An event from the future would rule its user forever: more than five minutes ahead is malformed (#27). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "{\"id\":\"f1\",\"eventType\":\"DsvmPools.UserAdded\",\"subject\":\"x\",\"eventTime\":\"9999-12-31T00:00:00Z\",\"dataVersion\":\"1\",\"data\":{\"pool\":\"ml-team\",\"user\":{\"email\":\"ann@example.org\"}}}",
        "{\"id\":\"f2\",\"eventType\":\"DsvmPools.UserRemoved\",\"subject\":\"x\",\"eventTime\":\"2026-11-28T00:05:01Z\",\"dataVersion\":\"1\",\"data\":{\"pool\":\"ml-team\",\"user\":{\"email\":\"ann@example.org\"}}}",
        "{\"specversion\":\"1.0\",\"id\":\"f3\",\"type\":\"DsvmPools.UserRemoved\",\"source\":\"/hr\",\"time\":\"9999-12-31T00:00:00Z\",\"data\":{\"pool\":\"ml-team\",\"user\":{\"email\":\"ann@example.org\"}}}",
        "{\"specversion\":\"1.0\",\"id\":\"f4\",\"type\":\"Microsoft.Graph.GroupUpdated\",\"source\":\"/graph\",\"time\":\"9999-12-31T00:00:00Z\",\"data\":{\"changeType\":\"updated\",\"resource\":\"Groups/0f3a0c2e-1111-2222-3333-444455556666\"}}"
    })
    void anEventMoreThanFiveMinutesAheadOfItsDeliveryIsMalformedSayingWhy(String json) {
        assertThat(read(json)).isInstanceOfSatisfying(RosterEvent.Malformed.class, malformed ->
                assertThat(malformed.reason()).contains("more than 5 minutes after the event was received"));
    }

    @Test
    void anEventAFewMinutesAheadOfItsDeliveryIsTakenAsClocksDisagree() {
        assertThat(read("{\"id\":\"n1\",\"eventType\":\"DsvmPools.UserAdded\",\"subject\":\"x\","
                + "\"eventTime\":\"2026-11-28T00:04:59Z\",\"dataVersion\":\"1\",\"data\":{\"pool\":\"ml-team\","
                + "\"user\":{\"email\":\"ann@example.org\"}}}")).isInstanceOf(RosterEvent.UserAdded.class);
    }

    /** CloudEvents 1.0 makes {@code time} optional: without it, the event took place when it was delivered (#27). */
    @Test
    void aCloudEventWithoutTimeTakesItsDeliveryTime() {
        RosterEvent event = read("{\"specversion\":\"1.0\",\"id\":\"c1\",\"type\":\"DsvmPools.UserRemoved\","
                + "\"source\":\"/hr\",\"data\":{\"pool\":\"ml-team\",\"user\":{\"email\":\"ann@example.org\"}}}");

        assertThat(event).isInstanceOfSatisfying(RosterEvent.UserRemoved.class, removed ->
                assertThat(removed.time()).isEqualTo(RECEIVED));
        assertThat(read("{\"specversion\":\"1.0\",\"id\":\"c2\",\"type\":\"DsvmPools.UserRemoved\",\"time\":\"soon\","
                + "\"source\":\"/hr\",\"data\":{\"pool\":\"ml-team\",\"user\":{\"email\":\"ann@example.org\"}}}"))
                .as("a time that is there must be one").isInstanceOf(RosterEvent.Malformed.class);
    }

    private static final String USER = "{\"pool\":\"ml-team\",\"user\":{\"email\":\"Alice.Smith@example.org\","
            + "\"displayName\":\"Alice\",\"sshPublicKeys\":[\"" + SshKeys.ed25519() + "\"]}}";

    @Test
    void aUserAddedEventGridEventIsRead() {
        RosterEvent event = read("{\"id\":\"e1\",\"eventType\":\"DsvmPools.UserAdded\",\"subject\":\"x\","
                + "\"eventTime\":\"2026-11-27T10:00:00Z\",\"dataVersion\":\"1\",\"data\":" + USER + "}");

        RosterEvent.UserAdded added = (RosterEvent.UserAdded) event;
        assertThat(added.pool().value()).isEqualTo("ml-team");
        assertThat(added.user().name().value()).isEqualTo("alice-smith");
        assertThat(added.time()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
    }

    @Test
    void theSameAsACloudEventIsReadTheSame() {
        RosterEvent event = read("{\"specversion\":\"1.0\",\"id\":\"e2\",\"type\":\"DsvmPools.UserRemoved\","
                + "\"source\":\"/hr\",\"time\":\"2026-11-27T11:00:00+01:00\",\"data\":" + USER + "}");

        RosterEvent.UserRemoved removed = (RosterEvent.UserRemoved) event;
        assertThat(removed.name().value()).isEqualTo("alice-smith");
        assertThat(removed.time()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
    }

    @Test
    void aGraphGroupChangeNamesItsGroup() {
        RosterEvent event = read("{\"specversion\":\"1.0\",\"id\":\"g1\",\"type\":\"Microsoft.Graph.GroupUpdated\","
                + "\"source\":\"/graph\",\"time\":\"2026-11-27T10:00:00Z\",\"data\":{\"changeType\":\"updated\","
                + "\"resource\":\"Groups/0F3A0C2E-1111-2222-3333-444455556666\"}}");

        assertThat(((RosterEvent.GroupUpdated) event).groupId()).isEqualTo("0f3a0c2e-1111-2222-3333-444455556666");
    }

    @Test
    void anUnknownTypeIsIgnoredNotFailed() {
        assertThat(read("{\"id\":\"x\",\"eventType\":\"Contoso.Other\",\"eventTime\":\"2026-11-27T10:00:00Z\","
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
        RosterEvent event = read(json);

        assertThat(event).isInstanceOf(RosterEvent.Malformed.class);
        assertThat(((RosterEvent.Malformed) event).reason()).contains(reason);
    }

    @Test
    void graphsSubscriptionNoticesAreReadWithTheirGroup() {
        RosterEvent read = read("{\"specversion\":\"1.0\",\"id\":\"n1\",\"type\":"
                + "\"Microsoft.Graph.SubscriptionReauthorizationRequired\",\"time\":\"2026-11-27T11:00:00Z\","
                + "\"data\":{\"subscriptionId\":\"s-1\",\"resource\":\"Groups/0F3A0C2E-1111-2222-3333-444455556666\"}}");

        assertThat(read).isEqualTo(new RosterEvent.SubscriptionLifecycle("n1",
                java.time.Instant.parse("2026-11-27T11:00:00Z"), "s-1", "reauthorizationRequired",
                "0f3a0c2e-1111-2222-3333-444455556666"));
        assertThat(read("{\"specversion\":\"1.0\",\"id\":\"n2\",\"type\":"
                + "\"Microsoft.Graph.SubscriptionRemoved\",\"time\":\"2026-11-27T11:00:00Z\",\"data\":{}}"))
                .isInstanceOf(RosterEvent.Malformed.class);
    }
}
