package org.dsvmpools.onboarding;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolPage;
import org.dsvmpools.pool.PoolRepository;
import org.dsvmpools.pool.PoolStatus;

/**
 * Pools whose roster is a Microsoft Entra group follow the group's members: each member is added (named from
 * their email, tagged with their object id), and users that came from the group and left it are removed, their
 * folders archived. Users added by custom events or the admin API are left alone. Runs when Graph says the
 * group changed, and daily as a safety net for a missed event.
 */
public final class RosterSync {
    private final PoolRepository pools;
    private final RosterStore roster;
    private final GroupMembers graph;
    private final Onboarding onboarding;

    public RosterSync(PoolRepository pools, RosterStore roster, GroupMembers graph, Onboarding onboarding) {
        this.pools = pools;
        this.roster = roster;
        this.graph = graph;
        this.onboarding = onboarding;
    }

    /** What one pool's synchronisation did, one line per change or refusal. */
    public record Report(String pool, List<String> changes) {
    }

    /** @param groupId the group that changed, or empty for every pool that has a roster group */
    public List<Report> sync(Optional<String> groupId, Instant at) {
        Map<String, List<GroupMembers.Member>> read = new HashMap<>();
        List<Report> reports = new ArrayList<>();
        for (Pool pool : rosterPools()) {
            String group = pool.spec().rosterGroupId();
            if (groupId.isPresent() && !groupId.get().equals(group)) {
                continue;
            }
            List<GroupMembers.Member> members;
            try {
                members = read.computeIfAbsent(group, graph::members);
            } catch (GroupMembers.GroupNotFoundException e) {
                reports.add(new Report(pool.name().value(), List.of(e.getMessage() + "; roster left as it is")));
                continue;
            }
            reports.add(new Report(pool.name().value(), reconcile(pool, members, at)));
        }
        return reports;
    }

    private List<String> reconcile(Pool pool, List<GroupMembers.Member> members, Instant at) {
        List<String> changes = new ArrayList<>();
        Set<String> inGroup = members.stream().map(GroupMembers.Member::objectId).collect(Collectors.toSet());
        Map<String, Member> fromGroup = roster.list(pool.name()).stream().filter(m -> m.entraObjectId() != null)
                .collect(Collectors.toMap(Member::entraObjectId, m -> m, (a, b) -> a));
        for (GroupMembers.Member member : members) {
            Member known = fromGroup.get(member.objectId());
            if (known != null && known.state() != MemberState.Removed) {
                continue;
            }
            Optional<org.dsvmpools.pool.LinuxUserName> name = UserNames.fromEmail(member.email());
            if (name.isEmpty()) {
                changes.add("member " + member.objectId() + ": no user name can be derived from '" + member.email()
                        + "', skipped");
                continue;
            }
            Onboarding.Outcome outcome = onboarding.add(pool.name(), new NewUser(name.get(), member.email(),
                    member.displayName(), List.of(), member.objectId()), at);
            changes.add(describe(name.get().value(), outcome));
        }
        for (Member known : fromGroup.values()) {
            if (!inGroup.contains(known.entraObjectId()) && known.state() != MemberState.Removed) {
                changes.add(describe(known.name().value(), onboarding.remove(pool.name(), known.name(), at)));
            }
        }
        return changes;
    }

    private static String describe(String name, Onboarding.Outcome outcome) {
        if (outcome instanceof Onboarding.Outcome.Done done) {
            return name + " " + done.member().state();
        }
        if (outcome instanceof Onboarding.Outcome.NameTaken) {
            return name + " belongs to another user of the pool, skipped";
        }
        return name + " unchanged (" + outcome.getClass().getSimpleName() + ")";
    }

    private List<Pool> rosterPools() {
        List<Pool> found = new ArrayList<>();
        String token = null;
        do {
            PoolPage page = pools.list(token, 100);
            page.pools().stream().filter(p -> p.status() == PoolStatus.Ready && p.spec().rosterGroupId() != null)
                    .forEach(found::add);
            token = page.continuationToken();
        } while (token != null);
        return found;
    }
}
