package org.dsvmpools.onboarding;

import java.util.Optional;

/** Where each roster group's next members delta query starts. */
public interface DeltaLinks {
    Optional<String> find(String groupId);

    void save(String groupId, String deltaLink);
}
