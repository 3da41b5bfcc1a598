package org.dsvmpools.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.dsvmpools.onboarding.Member;
import org.dsvmpools.onboarding.MemberState;
import org.dsvmpools.onboarding.Onboarding;
import org.dsvmpools.pool.LinuxUserName;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.testing.Requests;
import org.junit.jupiter.api.Test;

/** A change the roster did not apply is never answered 200 (#27). */
class UserResponsesTest {
    private static final Member ANN = new Member(new LinuxUserName("ann"), "ann@example.org", null, List.of(), null,
            20001, MemberState.Pending, Instant.parse("2026-11-27T10:02:00Z"), null);

    @Test
    void aSupersededChangeIs409NamingTheNewerOneAndARepeatIs200() {
        var superseded = UserResponses.of(Requests.delete("/api/pools/ml-team/users/ann"), new PoolName("ml-team"),
                Onboarding.Outcome.Unchanged.superseded(ANN), false);
        var repeated = UserResponses.of(Requests.delete("/api/pools/ml-team/users/ann"), new PoolName("ml-team"),
                new Onboarding.Outcome.Unchanged(ANN, "already removed", false), false);

        assertThat(superseded.getStatusCode()).isEqualTo(409);
        assertThat(superseded.getHeader("Content-Type")).isEqualTo("application/problem+json");
        assertThat(String.valueOf(superseded.getBody())).contains("2026-11-27T10:02:00Z").contains("ann");
        assertThat(repeated.getStatusCode()).isEqualTo(200);
    }
}
