package org.dsvmpools.door;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The front door matches a signed-in account to the roster as the hub's authenticator does: the cases are one
 * table, {@code roster-matching-cases.json}, which test_dsvmpools_hub.py runs against {@code roster_entry} too.
 */
class RosterMatchTest {
    static Stream<Arguments> sharedCases() throws IOException {
        try (InputStream in = RosterMatchTest.class.getResourceAsStream("roster-matching-cases.json")) {
            List<Arguments> cases = new ArrayList<>();
            new ObjectMapper().readTree(in).path("cases")
                    .forEach(c -> cases.add(Arguments.of(c.path("case").asText(), c)));
            assertThat(cases).hasSizeGreaterThan(10);
            return cases.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sharedCases")
    void matchesAsTheHubDoes(String name, JsonNode c) {
        List<RosterEntry> roster = new ArrayList<>();
        c.path("roster").forEach(entry -> roster.add(new RosterEntry(entry.path("name").asText(),
                entry.path("email").isTextual() ? entry.path("email").asText() : null,
                entry.path("entraObjectId").isTextual() ? entry.path("entraObjectId").asText() : null,
                !entry.path("state").asText().equals("removed"))));
        JsonNode claims = c.path("claims");
        SignedInUser user = new SignedInUser(claims.path("oid").asText(""), claims.path("email").asText(""),
                claims.path("preferred_username").asText(""), "");
        JsonNode expect = c.path("expect");

        RosterMatch.Result result = RosterMatch.match(roster, user);

        if (expect.has("name")) {
            assertThat(result).isInstanceOf(RosterMatch.Result.OnRoster.class);
            RosterEntry entry = ((RosterMatch.Result.OnRoster) result).entry();
            assertThat(entry.name()).isEqualTo(expect.path("name").asText());
            assertThat(entry.active()).isEqualTo(expect.path("state").asText().equals("active"));
        } else if (expect.has("ambiguous")) {
            List<String> names = new ArrayList<>();
            expect.path("ambiguous").forEach(n -> names.add(n.asText()));
            assertThat(result).isEqualTo(new RosterMatch.Result.Ambiguous(names));
        } else {
            assertThat(result).isInstanceOf(RosterMatch.Result.NotOnRoster.class);
        }
    }
}
