package org.dsvmpools.kit.arm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/** What ARM knows besides the request: the rules that compare a body with other resources read it here. */
public interface ArmState {
    /** The stored resource with this id (matched without regard to case), as ARM would return it. */
    Optional<JsonNode> resource(String id);

    /** The role assignments whose scope is exactly {@code scope}, each with its {@code id} and {@code properties}. */
    List<JsonNode> roleAssignmentsAt(String scope);

    /** Whether the directory has this principal (a user, group or service principal, managed identities included). */
    boolean principalExists(String principalId);
}
