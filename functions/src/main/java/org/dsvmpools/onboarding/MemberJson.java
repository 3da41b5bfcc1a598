package org.dsvmpools.onboarding;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;

/**
 * A roster entry as the admin API shows it: state, folder, uid, how many SSH keys, the ways the user signs in;
 * for a removed user, where the folder went.
 */
public final class MemberJson {
    private MemberJson() {
    }

    public static ObjectNode write(Member member, boolean hubSignsInWithEntra) {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("name", member.name().value())
                .put("state", member.state().name()).put("folder", member.folder())
                .put("changedAt", member.changedAt().toString());
        if (member.uid() > 0) {
            node.put("uid", member.uid());
        }
        if (member.email() != null) {
            node.put("email", member.email());
        }
        if (member.displayName() != null) {
            node.put("displayName", member.displayName());
        }
        if (member.archive() != null) {
            node.put("archive", member.archive());
        }
        if (member.state() == MemberState.Pending && member.attempt() != null) {
            node.putObject("pending").put("reason", member.attempt().failure())
                    .put("attempts", member.attempt().count()).put("failedAt", member.attempt().at().toString())
                    .put("retryAt", member.attempt().retryAt().toString());
        }
        node.put("sshPublicKeys", member.sshPublicKeys().size());
        member.signInWays(hubSignsInWithEntra).forEach(node.putArray("signIn")::add);
        return node;
    }

    public static ArrayNode write(List<Member> members, boolean hubSignsInWithEntra) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        members.stream().sorted(Comparator.comparing(m -> m.name().value())).forEach(m -> array.add(write(m, hubSignsInWithEntra)));
        return array;
    }
}
