package org.dsvmpools.onboarding;

import java.util.List;
import org.dsvmpools.pool.LinuxUserName;

/** A user to bring onto a pool, validated: the account name, derived from the email when the event gave none. */
public record NewUser(LinuxUserName name, String email, String displayName, List<String> sshPublicKeys,
                      String entraObjectId) {
    public NewUser {
        sshPublicKeys = List.copyOf(sshPublicKeys);
    }
}
