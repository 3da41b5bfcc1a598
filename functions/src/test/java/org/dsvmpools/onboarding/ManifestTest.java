package org.dsvmpools.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.dsvmpools.pool.LinuxUserName;
import org.junit.jupiter.api.Test;

class ManifestTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private static Member member(String name, int uid, MemberState state, Instant at) {
        return new Member(new LinuxUserName(name), name + "@example.org", name, List.of(), null, uid, state, at,
                state == MemberState.Removed ? "archive/" + name : null);
    }

    private static String text(byte[] manifest) {
        return new String(manifest, StandardCharsets.UTF_8);
    }

    @Test
    void theNewestChangeOfAUserWinsWhateverItsPlaceInTheBatch() {
        Member added = member("alice", 20001, MemberState.Ready, T0);
        Member removed = member("alice", 20001, MemberState.Removed, T0.plusSeconds(5));

        assertThat(text(Manifest.apply(new byte[0], List.of(added, removed)))).contains("\"state\":\"removed\"");
        assertThat(text(Manifest.apply(new byte[0], List.of(removed, added)))).contains("\"state\":\"removed\"");
    }

    @Test
    void aBatchKeepsTheEntriesItDoesNotName() {
        byte[] first = Manifest.apply(new byte[0], List.of(member("alice", 20001, MemberState.Ready, T0)));

        String both = text(Manifest.apply(first, List.of(member("bob", 20002, MemberState.Ready, T0),
                member("carol", 20003, MemberState.Pending, T0))));

        assertThat(both).contains("\"name\":\"alice\"", "\"name\":\"bob\"", "\"name\":\"carol\"");
    }

    @Test
    void aBatchThatChangesNothingGivesBackTheSameContents() {
        byte[] first = Manifest.apply(new byte[0], List.of(member("alice", 20001, MemberState.Ready, T0.plusSeconds(9))));

        // A tombstone has no uid and no account; an older change loses to the entry there.
        byte[] again = Manifest.apply(first, List.of(member("bob", 0, MemberState.Removed, T0),
                member("alice", 20001, MemberState.Removed, T0)));

        assertThat(again).isSameAs(first);
    }

    @Test
    void removedUsersLeaveTheManifestAWeekAfterTheirRemovalSoItKeepsThePoolsSize() {
        byte[] both = Manifest.apply(new byte[0], List.of(member("alice", 20001, MemberState.Removed, T0),
                member("bob", 20002, MemberState.Removed, T0.plusSeconds(3600)),
                member("carol", 20003, MemberState.Ready, T0)));

        String compacted = text(Manifest.apply(both, List.of(member("dan", 20004, MemberState.Removed, T0)),
                T0.plusSeconds(60)));

        assertThat(compacted).doesNotContain("\"alice\"").doesNotContain("\"dan\"").contains("\"bob\"", "\"carol\"");
        assertThatThrownBy(() -> Manifest.changeTimes(new byte[64]))
                .isInstanceOf(Manifest.UnreadableException.class);
        assertThat(text(Manifest.of(List.of()))).isEqualTo("{\"v\":1,\"users\":[]}");
    }
}
