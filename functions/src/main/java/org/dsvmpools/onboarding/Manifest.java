package org.dsvmpools.onboarding;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.dsvmpools.pool.LinuxUserName;

/**
 * {@code .pool/users.json}, what every instance's agent reconciles its accounts with:
 * <pre>{"v":1,"users":[{"name":"alice","uid":20001,"sshPublicKeys":["ssh-ed25519 ..."],"state":"active",
 *   "entraObjectId":"...","email":"alice@contoso.com","changedAt":"..."}]}</pre>
 * Active users get an account, their keys and their folder mounted; removed users are locked and unmounted, their
 * data kept. Names, uids, public keys and the sign-in identities (object id, email) only: nothing secret.
 */
public final class Manifest {
    /** Accounts of pool users start here, above Ubuntu's regular users and the image's own. */
    public static final int FIRST_UID = 20001;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Manifest() {
    }

    /** The manifest on the share does not parse: it is rebuilt from the roster, which is the record. */
    public static final class UnreadableException extends RuntimeException {
        UnreadableException(Throwable cause) {
            super("the roster manifest on the share is unreadable", cause);
        }
    }

    /** A manifest of exactly these members, for a rebuild. */
    public static byte[] of(Collection<Member> members) {
        byte[] built = apply(new byte[0], members);
        return built.length == 0 ? "{\"v\":1,\"users\":[]}".getBytes(StandardCharsets.UTF_8) : built;
    }

    /**
     * The manifest with each member's entry set, unless the entry there is from a later change: changes of one user
     * may reach the manifest out of order when several app instances write it. The contents are read and written
     * once, however many members change: a batch of a thousand costs what one does.
     */
    public static byte[] apply(byte[] current, Collection<Member> members) {
        return apply(current, members, Instant.MIN);
    }

    /**
     * As {@link #apply(byte[], Collection)}, and entries of users removed before {@code removedBefore} leave the
     * manifest: the roster agent offboards any account it made that the manifest no longer lists, so an entry is
     * not needed for the removal to reach an instance, even one that was off for weeks; it stays a week for a
     * readable history. This keeps the manifest the size of the pool's current users.
     */
    public static byte[] apply(byte[] current, Collection<Member> members, Instant removedBefore) {
        Map<String, ObjectNode> users = entries(current);
        boolean changed = users.values().removeIf(entry -> entry.path("state").asText().equals("removed")
                && entry.hasNonNull("changedAt") && Instant.parse(entry.path("changedAt").asText()).isBefore(removedBefore));
        for (Member member : members) {
            ObjectNode known = users.get(member.name().value());
            boolean newer = known == null || !known.hasNonNull("changedAt")
                    || !Instant.parse(known.path("changedAt").asText()).isAfter(member.changedAt());
            boolean expired = member.state() == MemberState.Removed && member.changedAt().isBefore(removedBefore);
            if (newer && member.uid() > 0 && !expired) {
                users.put(member.name().value(), entry(member));
                changed = true;
            }
        }
        if (!changed) {
            return current;
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode().put("v", 1);
        ArrayNode list = root.putArray("users");
        users.values().forEach(list::add);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** When each user's entry was last changed: a user is Ready once the manifest carries their latest change. */
    public static Map<LinuxUserName, Instant> changeTimes(byte[] manifest) {
        Map<LinuxUserName, Instant> times = new HashMap<>();
        entries(manifest).forEach((name, entry) -> times.put(new LinuxUserName(name),
                Instant.parse(entry.path("changedAt").asText())));
        return times;
    }

    private static Map<String, ObjectNode> entries(byte[] manifest) {
        Map<String, ObjectNode> users = new TreeMap<>();
        if (manifest.length > 0) {
            try {
                JSON.readTree(manifest).path("users").forEach(user -> users.put(user.path("name").asText(),
                        (ObjectNode) user));
            } catch (IOException e) {
                throw new UnreadableException(e);
            }
        }
        return users;
    }

    private static ObjectNode entry(Member member) {
        ObjectNode user = JsonNodeFactory.instance.objectNode().put("name", member.name().value())
                .put("uid", member.uid());
        member.sshPublicKeys().forEach(user.putArray("sshPublicKeys")::add);
        // JupyterHub's sign-in maps an Entra identity to the entry: by object id, else by email.
        if (member.entraObjectId() != null) {
            user.put("entraObjectId", member.entraObjectId());
        }
        if (member.email() != null) {
            user.put("email", member.email());
        }
        return user.put("state", member.state() == MemberState.Removed ? "removed" : "active")
                .put("changedAt", member.changedAt().toString());
    }
}
