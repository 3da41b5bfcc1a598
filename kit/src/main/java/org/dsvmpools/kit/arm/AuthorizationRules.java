package org.dsvmpools.kit.arm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Microsoft.Authorization's rules for role assignments. */
final class AuthorizationRules {
    static final String ROLE_ASSIGNMENT = "Microsoft.Authorization/roleAssignments";
    /**
     * Built-in roles the emulator knows (Azure built-in roles reference): the general ones and those the control
     * plane and its pools assign. An id outside this list is refused, so a mistyped role fails locally.
     */
    static final Set<String> BUILT_IN_ROLES = Set.of(
            "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", // Owner
            "b24988ac-6180-42a0-ab88-20f7382dd24c", // Contributor
            "acdd72a7-3385-48ef-bd42-f606fba81ae7", // Reader
            "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", // User Access Administrator
            "f58310d9-a9f6-439a-9e8d-f62e7b41a168", // Role Based Access Control Administrator
            "81a9662b-bebf-436f-a333-f67b29880f12", // Storage Account Key Operator Service Role
            "69566ab7-960f-475b-8e7c-b3118f30c6bd", // Storage File Data Privileged Contributor
            "0c867c2a-1d8c-454a-a3db-ab2ea1bdc8bb", // Storage File Data SMB Share Contributor
            "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a", // Storage Queue Data Message Sender
            "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // Storage Queue Data Contributor
            "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor
            "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner
            "3913510d-42f4-4e42-8a64-420c390055eb"); // Monitoring Metrics Publisher
    private static final String TROUBLESHOOTING = "Azure RBAC, 'Troubleshoot Azure RBAC' (role assignment errors)";

    private AuthorizationRules() {
    }

    static List<ArmRule> all() {
        return List.of(
                new ArmRule("RoleAssignmentUpdateNotPermitted", ROLE_ASSIGNMENT, "an existing assignment's name is"
                        + " not reused for another principal or role (400)", TROUBLESHOOTING + " (\"ARM template role"
                        + " assignment returns BadRequest status\")",
                        AuthorizationRules::noUpdate),
                new ArmRule("RoleAssignmentExists", ROLE_ASSIGNMENT, "one assignment per principal, role and scope"
                        + " (409)", TROUBLESHOOTING, AuthorizationRules::unique),
                new ArmRule("PrincipalNotFound", ROLE_ASSIGNMENT, "the principal exists in the directory",
                        TROUBLESHOOTING + "; stricter than Azure, which accepts an unknown principal for a while when"
                                + " principalType is set, to bridge replication delay", AuthorizationRules::principal),
                new ArmRule("RoleDefinitionDoesNotExist", ROLE_ASSIGNMENT, "the role definition is a built-in role"
                        + " the emulator knows", TROUBLESHOOTING + "; Azure built-in roles",
                        AuthorizationRules::roleDefinition));
    }

    private static List<ArmViolation> noUpdate(ArmRequest request, ArmState state) {
        return state.resource(request.id()).filter(existing -> !sameGrant(existing, request.body()))
                .map(existing -> List.of(new ArmViolation(400, "RoleAssignmentUpdateNotPermitted", "Tenant ID,"
                        + " application ID, principal ID, and scope are not allowed to be updated.", null)))
                .orElse(List.of());
    }

    private static List<ArmViolation> unique(ArmRequest request, ArmState state) {
        String scope = scopeOf(request.id());
        for (JsonNode other : state.roleAssignmentsAt(scope)) {
            if (!other.path("id").asText().equalsIgnoreCase(request.id()) && sameGrant(other, request.body())) {
                return List.of(new ArmViolation(409, "RoleAssignmentExists", "The role assignment already exists."
                        + " The ID of the existing role assignment is " + other.path("id").asText() + ".", null));
            }
        }
        return List.of();
    }

    private static List<ArmViolation> principal(ArmRequest request, ArmState state) {
        String principal = request.body().path("properties").path("principalId").asText("");
        return state.principalExists(principal) ? List.of()
                : List.of(ArmViolation.badRequest("PrincipalNotFound", "Principal " + principal + " does not exist in"
                + " the directory. Check that you have the correct principal ID.", "properties.principalId"));
    }

    private static List<ArmViolation> roleDefinition(ArmRequest request, ArmState state) {
        String id = request.body().path("properties").path("roleDefinitionId").asText("");
        String guid = id.substring(id.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        return id.toLowerCase(Locale.ROOT).contains("/providers/microsoft.authorization/roledefinitions/")
                && BUILT_IN_ROLES.contains(guid) ? List.of()
                : List.of(ArmViolation.badRequest("RoleDefinitionDoesNotExist", "The specified role definition with ID '"
                + guid + "' does not exist.", "properties.roleDefinitionId"));
    }

    private static boolean sameGrant(JsonNode existing, JsonNode body) {
        JsonNode a = existing.path("properties");
        JsonNode b = body.path("properties");
        return a.path("principalId").asText().equalsIgnoreCase(b.path("principalId").asText())
                && roleGuid(a).equals(roleGuid(b));
    }

    private static String roleGuid(JsonNode properties) {
        String id = properties.path("roleDefinitionId").asText();
        return id.substring(id.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    }

    static String scopeOf(String assignmentId) {
        return assignmentId.substring(0, assignmentId.toLowerCase(Locale.ROOT)
                .lastIndexOf("/providers/microsoft.authorization/roleassignments/"));
    }
}
