package org.dsvmpools.onboarding;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;

/**
 * {@code .pool/users.json}, what every instance's agent reconciles its accounts with:
 * <pre>{"v":1,"users":[{"name":"alice","uid":10001,"sshPublicKeys":["ssh-ed25519 ..."],"state":"active"}]}</pre>
 * Active users get an account, their keys and their folder mounted; removed users are locked and unmounted, their
 * data kept. Names, uids and public keys only: nothing secret.
 */
public final class Manifest {
    /** Accounts of pool users start here, above Ubuntu's regular users and the image's own. */
    public static final int FIRST_UID = 20001;

    private Manifest() {
    }

    public static byte[] render(List<Member> members) {
        ObjectNode root = JsonNodeFactory.instance.objectNode().put("v", 1);
        ArrayNode users = root.putArray("users");
        members.stream().filter(m -> m.uid() > 0).sorted(Comparator.comparing(m -> m.name().value()))
                .forEach(member -> {
                    ObjectNode user = users.addObject().put("name", member.name().value()).put("uid", member.uid());
                    member.sshPublicKeys().forEach(user.putArray("sshPublicKeys")::add);
                    user.put("state", member.state() == MemberState.Removed ? "removed" : "active");
                });
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}
