package org.dsvmpools.door;

/**
 * One user of a pool as the front door sees them: the fields the roster's manifest gives the hub's authenticator,
 * so both match a signed-in account by the same rules.
 *
 * @param name          the user's account name on the pool's VMs
 * @param entraObjectId the account's object id, or null for a user added by email only
 * @param active        not removed from the pool
 * @param sshKey        has an SSH public key on the pool, so may come in over SSH
 */
public record RosterEntry(String name, String email, String entraObjectId, boolean active, boolean sshKey) {
    public RosterEntry(String name, String email, String entraObjectId, boolean active) {
        this(name, email, entraObjectId, active, false);
    }
}
