package org.dsvmpools.onboarding;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code .pool/users.json}, what every instance's agent reconciles its accounts with:
 * <pre>{"v":1,"users":[{"name":"alice","uid":20001,"sshPublicKeys":["ssh-ed25519 ..."],"state":"active",
 *   "changedAt":"..."}]}</pre>
 * Active users get an account, their keys and their folder mounted; removed users are locked and unmounted, their
 * data kept. Names, uids and public keys only: nothing secret.
 */
public final class Manifest {
    /** Accounts of pool users start here, above Ubuntu's regular users and the image's own. */
    public static final int FIRST_UID = 20001;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Manifest() {
    }

    /**
     * The manifest with {@code member}'s entry set, unless the entry there is from a later change: changes of one
     * user may reach the manifest out of order when several app instances write it.
     */
    public static byte[] apply(byte[] current, Member member) {
        Map<String, ObjectNode> users = new TreeMap<>();
        if (current.length > 0) {
            try {
                JSON.readTree(current).path("users").forEach(user -> users.put(user.path("name").asText(),
                        (ObjectNode) user));
            } catch (IOException e) {
                throw new IllegalStateException("the roster manifest on the share is unreadable", e);
            }
        }
        ObjectNode known = users.get(member.name().value());
        if (known != null && known.hasNonNull("changedAt")
                && Instant.parse(known.path("changedAt").asText()).isAfter(member.changedAt())) {
            return current;
        }
        if (member.uid() > 0) {
            users.put(member.name().value(), entry(member));
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode().put("v", 1);
        ArrayNode list = root.putArray("users");
        users.values().forEach(list::add);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode entry(Member member) {
        ObjectNode user = JsonNodeFactory.instance.objectNode().put("name", member.name().value())
                .put("uid", member.uid());
        member.sshPublicKeys().forEach(user.putArray("sshPublicKeys")::add);
        return user.put("state", member.state() == MemberState.Removed ? "removed" : "active")
                .put("changedAt", member.changedAt().toString());
    }
}
