package org.dsvmpools.provisioning;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The built-in roles a pool's deployment assigns, and nothing else: the control plane's identity may grant these
 * and only these, which the deployment guide's role-assignment condition says in ARM's condition language. The
 * condition is made here, from this list, so that the two cannot drift apart.
 */
public enum PoolRole {
    /** The scale set's identity lists the pool storage account's keys to mount the share: nothing else. */
    STORAGE_ACCOUNT_KEY_OPERATOR("81a9662b-bebf-436f-a333-f67b29880f12", "Storage Account Key Operator Service Role"),
    /** The control plane's identity writes users' folders over OAuth with the backup intent (onboarding). */
    STORAGE_FILE_DATA_PRIVILEGED_CONTRIBUTOR("69566ab7-960f-475b-8e7c-b3118f30c6bd",
            "Storage File Data Privileged Contributor"),
    /** The scale set's identity adds usage reports to the control plane's queue (the usage agent). */
    STORAGE_QUEUE_DATA_MESSAGE_SENDER("c6a89b2d-59bc-44d0-9896-0f6e12d7b80a", "Storage Queue Data Message Sender");

    private final String id;
    private final String displayName;

    PoolRole(String id, String displayName) {
        this.id = id;
        this.displayName = displayName;
    }

    /** The role definition's GUID, the same in every subscription. */
    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    /**
     * ARM's condition (version 2.0) for the control plane's "Role Based Access Control Administrator" assignment:
     * it may write and delete role assignments of these roles only.
     */
    public static String condition() {
        String ids = Arrays.stream(values()).map(PoolRole::id).collect(Collectors.joining(", "));
        return "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR "
                + "(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {"
                + ids + "})) AND ((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR "
                + "(@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {"
                + ids + "}))";
    }
}
