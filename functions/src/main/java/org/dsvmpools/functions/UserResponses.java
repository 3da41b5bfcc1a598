package org.dsvmpools.functions;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import org.dsvmpools.onboarding.MemberJson;
import org.dsvmpools.onboarding.Onboarding;
import org.dsvmpools.pool.PoolName;

/** How the roster endpoints answer onboarding's outcomes, in one place for all three. */
final class UserResponses {
    private UserResponses() {
    }

    static HttpResponseMessage forbidden(HttpRequestMessage<?> request, PoolName pool) {
        return Http.problem(request, Problem.of(403, "forbidden", "Forbidden", "only the owner of pool '" + pool
                + "' or an admin may change its users"));
    }

    static HttpResponseMessage of(HttpRequestMessage<?> request, PoolName pool, Onboarding.Outcome outcome,
                                  boolean hubSignsInWithEntra) {
        if (outcome instanceof Onboarding.Outcome.Done done) {
            return Http.json(request, 200, MemberJson.write(done.member(), hubSignsInWithEntra));
        }
        if (outcome instanceof Onboarding.Outcome.Unchanged unchanged && unchanged.superseded()) {
            // Not applied, and never will be: a 200 would tell the caller it was (#27).
            return Http.problem(request, Problem.of(409, "superseded", "A newer change was applied", "a change to "
                    + "user '" + unchanged.member().name() + "' as new or newer, made at "
                    + unchanged.member().changedAt() + ", was applied already; this one was not"));
        }
        if (outcome instanceof Onboarding.Outcome.Unchanged unchanged) {
            return Http.json(request, 200, MemberJson.write(unchanged.member(), hubSignsInWithEntra));
        }
        if (outcome instanceof Onboarding.Outcome.PoolNotReady notReady) {
            return Http.problem(request, Problem.of(409, "pool-not-ready", "Pool is not Ready", "pool '" + pool
                    + "' is " + notReady.status() + "; users are added to Ready pools"));
        }
        if (outcome instanceof Onboarding.Outcome.NameTaken taken) {
            return Http.problem(request, Problem.of(409, "name-taken", "User name taken", "'" + taken.name()
                    + "' belongs to another user of the pool; give this user a name"));
        }
        if (outcome instanceof Onboarding.Outcome.RosterFull full) {
            return Http.problem(request, Problem.of(409, "roster-full", "The pool has as many users as it may",
                    "pool '" + pool + "' has " + full.maxUsers() + " users, its most (" + Settings.MAX_USERS_PER_POOL
                            + "); remove one first"));
        }
        return Http.problem(request, Http.poolNotFound(pool.value()));
    }
}
