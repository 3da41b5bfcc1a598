package org.dsvmpools.kit.arm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Microsoft.Compute's rules for a pool's scale set. */
public final class ComputeRules {
    static final String SCALE_SET = "Microsoft.Compute/virtualMachineScaleSets";
    /** Azure's list of admin user names a Linux VM may not have (Compute's FAQ and the REST reference). */
    public static final Set<String> RESERVED_ADMIN_NAMES = Set.of("administrator", "admin", "user", "user1", "test", "user2",
            "test1", "user3", "admin1", "1", "123", "a", "actuser", "adm", "admin2", "aspnet", "backup", "console",
            "david", "guest", "john", "owner", "root", "server", "sql", "support", "support_388945a0", "sys", "test2",
            "test3", "user4", "user5");
    static final int CUSTOM_DATA_MAX = 87_380;
    private static final String PROFILE = "properties.virtualMachineProfile";

    private ComputeRules() {
    }

    static List<ArmRule> all() {
        String osProfile = "REST reference, Virtual Machine Scale Sets - Create Or Update (OSProfile.adminUsername,"
                + " customData, LinuxConfiguration); Compute FAQ";
        return List.of(
                new ArmRule("InvalidParameter", SCALE_SET, "the admin user name is 1-64 characters and not one Azure"
                        + " reserves (administrator, admin, root, user1, ...)", osProfile, ComputeRules::adminName),
                new ArmRule("InvalidParameter", SCALE_SET, "custom data is at most 87,380 characters of base64",
                        osProfile, ComputeRules::customData),
                new ArmRule("InvalidParameter", SCALE_SET, "password authentication off needs at least one SSH key,"
                        + " each at /home/<admin>/.ssh/authorized_keys", osProfile, ComputeRules::sshKeys),
                new ArmRule("InvalidResourceReference", SCALE_SET, "the subnet, backend pools and NAT pools an IP"
                        + " configuration names exist", "ARM error InvalidResourceReference; REST reference,"
                        + " VirtualMachineScaleSetIPConfiguration", ComputeRules::references));
    }

    private static JsonNode osProfile(ArmRequest request) {
        return request.body().path("properties").path("virtualMachineProfile").path("osProfile");
    }

    private static List<ArmViolation> adminName(ArmRequest request, ArmState state) {
        JsonNode name = osProfile(request).path("adminUsername");
        if (name.isMissingNode()) {
            return List.of();
        }
        String value = name.asText();
        if (RESERVED_ADMIN_NAMES.contains(value.toLowerCase(Locale.ROOT)) || value.isEmpty() || value.length() > 64) {
            return List.of(ArmViolation.badRequest("InvalidParameter", "The Admin Username specified is not allowed.",
                    "adminUsername"));
        }
        return List.of();
    }

    private static List<ArmViolation> customData(ArmRequest request, ArmState state) {
        String data = osProfile(request).path("customData").asText("");
        boolean base64 = data.matches("[A-Za-z0-9+/]*={0,2}") && data.length() % 4 == 0;
        return data.length() <= CUSTOM_DATA_MAX && base64 ? List.of()
                : List.of(ArmViolation.badRequest("InvalidParameter", "Custom data in OSProfile must be in Base64"
                + " encoding and with a maximum length of 87380 characters.", "customData"));
    }

    private static List<ArmViolation> sshKeys(ArmRequest request, ArmState state) {
        JsonNode linux = osProfile(request).path("linuxConfiguration");
        if (!linux.path("disablePasswordAuthentication").asBoolean(false)) {
            return List.of();
        }
        JsonNode keys = linux.path("ssh").path("publicKeys");
        if (keys.isEmpty()) {
            return List.of(ArmViolation.badRequest("InvalidParameter", "Authentication using either SSH or by user name"
                    + " and password must be enabled in Linux profile.", "linuxConfiguration"));
        }
        String expected = "/home/" + osProfile(request).path("adminUsername").asText() + "/.ssh/authorized_keys";
        List<ArmViolation> found = new ArrayList<>();
        for (JsonNode key : keys) {
            if (!key.path("path").asText().equals(expected)) {
                found.add(ArmViolation.badRequest("InvalidParameter", "Destination path for SSH public keys is currently"
                        + " limited to its default value " + expected + " due to a known issue in Linux provisioning"
                        + " agent.", "linuxConfiguration.ssh.publicKeys.path"));
            }
        }
        return found;
    }

    private static List<ArmViolation> references(ArmRequest request, ArmState state) {
        List<ArmViolation> found = new ArrayList<>();
        JsonNode nics = request.body().path("properties").path("virtualMachineProfile").path("networkProfile")
                .path("networkInterfaceConfigurations");
        for (int n = 0; n < nics.size(); n++) {
            JsonNode ips = nics.get(n).path("properties").path("ipConfigurations");
            for (int i = 0; i < ips.size(); i++) {
                String path = PROFILE + ".networkProfile.networkInterfaceConfigurations[" + n + "].properties"
                        + ".ipConfigurations[" + i + "].properties";
                JsonNode ip = ips.get(i).path("properties");
                String subnet = ip.path("subnet").path("id").asText("");
                if (!subnet.isEmpty() && !subnetExists(state, subnet)) {
                    found.add(missing(subnet, request, path + ".subnet"));
                }
                for (String field : List.of("loadBalancerBackendAddressPools", "loadBalancerInboundNatPools")) {
                    for (JsonNode ref : ip.path(field)) {
                        String id = ref.path("id").asText("");
                        if (!memberExists(state, id)) {
                            found.add(missing(id, request, path + "." + field));
                        }
                    }
                }
            }
        }
        return found;
    }

    private static ArmViolation missing(String id, ArmRequest request, String target) {
        return ArmViolation.badRequest("InvalidResourceReference", "Resource " + id + " referenced by resource "
                + request.id() + " was not found. Please make sure that the referenced resource exists, and that both"
                + " resources are in the same region.", target);
    }

    private static boolean subnetExists(ArmState state, String id) {
        return memberExists(state, id) || state.resource(id).isPresent();
    }

    /** {@code <parent id>/<collection>/<name>}: the parent exists and lists a member of that name. */
    static boolean memberExists(ArmState state, String id) {
        String[] parts = id.split("/");
        if (parts.length < 3) {
            return false;
        }
        String collection = parts[parts.length - 2];
        String name = parts[parts.length - 1];
        String parent = id.substring(0, id.length() - collection.length() - name.length() - 2);
        return state.resource(parent).map(p -> {
            for (JsonNode member : p.path("properties").path(collection)) {
                if (member.path("name").asText().equalsIgnoreCase(name)) {
                    return true;
                }
            }
            return false;
        }).orElse(false);
    }
}
