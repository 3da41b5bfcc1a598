package org.dsvmpools.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.dsvmpools.pool.LinuxUserName;
import org.junit.jupiter.api.Test;

class MemberSignInTest {
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH0 alice";

    private static Member member(List<String> keys, String email, String oid, MemberState state) {
        return new Member(new LinuxUserName("alice"), email, "Alice", keys, oid, 20001, state, T0, null);
    }

    @Test
    void aUserWithoutKeysGetsInThroughJupyterHubWhenTheHubSignsInWithEntra() {
        Member emailOnly = member(List.of(), "alice@contoso.com", null, MemberState.Ready);

        assertThat(emailOnly.signInWays(true)).containsExactly("jupyterhub");
        assertThat(emailOnly.signInWays(false)).as("PAM needs a password no pool user has").isEmpty();
        assertThat(MemberJson.write(emailOnly, true).path("signIn").get(0).asText()).isEqualTo("jupyterhub");
    }

    @Test
    void keysGiveSshAndARemovedUserHasNoWayIn() {
        assertThat(member(List.of(KEY), null, "0f7a1c7e-6a3e-4f53-9a52-6b1f0e3d2a11", MemberState.Ready)
                .signInWays(true)).containsExactly("ssh", "jupyterhub");
        assertThat(member(List.of(KEY), "alice@contoso.com", null, MemberState.Removed).signInWays(true)).isEmpty();
    }
}
