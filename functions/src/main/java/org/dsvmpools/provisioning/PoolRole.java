package org.dsvmpools.provisioning;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The built-in roles a pool's deployment assigns, and nothing else: the control plane's identity may grant these
 * and only these, which the template's role-assignment condition says in ARM's condition language. Their ids
 * are written once, in {@code infra/pool-roles.json}, which both this enum and the template read.
 */
public enum PoolRole {
    /** The scale set's identity lists the pool storage account's keys to mount the share: nothing else. */
    STORAGE_ACCOUNT_KEY_OPERATOR,
    /** The control plane's identity writes users' folders over OAuth with the backup intent (onboarding). */
    STORAGE_FILE_DATA_PRIVILEGED_CONTRIBUTOR,
    /** The scale set's identity adds usage reports to the control plane's queue (the usage agent). */
    STORAGE_QUEUE_DATA_MESSAGE_SENDER;

    /** The role definition's GUID, the same in every subscription: from {@code infra/pool-roles.json}. */
    public String id() {
        return PoolRolesJson.id(name());
    }

    public String displayName() {
        return PoolRolesJson.displayName(name());
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
