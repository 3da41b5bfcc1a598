package org.dsvmpools.door;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which roster entry a signed-in account is: the rules of the hub's authenticator ({@code roster_entry} in
 * {@code dsvmpools_hub.py}), kept the same by one table of cases both are tested on
 * ({@code roster-matching-cases.json}).
 * <ul>
 *   <li>An entry with an object id matches that object only: a renamed account keeps its entry, and an email
 *       cannot stand in for it.</li>
 *   <li>Entries without one (users added by email) match the token's {@code email} or {@code preferred_username},
 *       compared whole and without regard to case; a {@code +tag} is part of the address, since Entra does not
 *       fold plus-addresses into one account.</li>
 *   <li>Two such entries with different names for one account are ambiguous: nobody is let in as either.</li>
 * </ul>
 */
public final class RosterMatch {
    private RosterMatch() {
    }

    /** The outcome of matching one account against one roster. */
    public sealed interface Result {
        record OnRoster(RosterEntry entry) implements Result {
        }

        record NotOnRoster() implements Result {
        }

        /** @param names the entries' names, sorted */
        record Ambiguous(List<String> names) implements Result {
        }
    }

    public static Result match(List<RosterEntry> roster, SignedInUser user) {
        String oid = user.objectId().toLowerCase(Locale.ROOT);
        if (!oid.isEmpty()) {
            for (RosterEntry entry : roster) {
                if (entry.entraObjectId() != null && entry.entraObjectId().toLowerCase(Locale.ROOT).equals(oid)) {
                    return new Result.OnRoster(entry);
                }
            }
        }
        Set<String> addresses = Stream.of(user.email(), user.signInName())
                .map(address -> address.strip().toLowerCase(Locale.ROOT)).filter(address -> !address.isEmpty())
                .collect(Collectors.toSet());
        List<RosterEntry> byEmail = roster.stream()
                .filter(entry -> entry.entraObjectId() == null || entry.entraObjectId().isEmpty())
                .filter(entry -> entry.email() != null
                        && addresses.contains(entry.email().toLowerCase(Locale.ROOT)))
                .toList();
        Set<String> names = byEmail.stream().map(RosterEntry::name).collect(Collectors.toCollection(TreeSet::new));
        if (names.size() > 1) {
            return new Result.Ambiguous(List.copyOf(names));
        }
        return byEmail.isEmpty() ? new Result.NotOnRoster() : new Result.OnRoster(byEmail.get(0));
    }
}
