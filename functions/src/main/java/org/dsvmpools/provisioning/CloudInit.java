package org.dsvmpools.provisioning;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.dsvmpools.pool.AzureNames;
import org.dsvmpools.pool.PoolSpec;

/**
 * The scale set's custom data: a cloud-config that installs the mount script and runs it. It holds names only
 * (account, share, subscription, resource group, admin): no key, no token, no password. The script itself fetches
 * the storage key with the instance's managed identity at boot.
 */
public final class CloudInit {
    static final String MOUNT_SCRIPT = "/opt/dsvmpools/mount-share.sh";
    private static final String MOUNT_SCRIPT_RESOURCE = "mount-share.sh";

    private CloudInit() {
    }

    /** The cloud-config text. */
    public static String render(PoolSpec spec, AzureNames names, BlueprintSettings settings) {
        String script = Base64.getEncoder().encodeToString(resource(MOUNT_SCRIPT_RESOURCE));
        return "#cloud-config\n"
                + "package_update: false\n"
                + "packages: [cifs-utils]\n"
                + "write_files:\n"
                + "  - path: " + MOUNT_SCRIPT + "\n"
                + "    owner: root:root\n"
                + "    permissions: '0700'\n"
                + "    encoding: b64\n"
                + "    content: " + script + "\n"
                + "runcmd:\n"
                + "  - [" + String.join(", ", quoted(MOUNT_SCRIPT), quoted(names.storageAccount()),
                quoted(names.fileShare()), quoted(settings.subscriptionId()), quoted(Blueprint.resourceGroup(spec)),
                quoted(spec.access().adminUsername()), quoted(settings.armEndpoint())) + "]\n";
    }

    /** As the scale set model carries it: base64. */
    public static String customData(PoolSpec spec, AzureNames names, BlueprintSettings settings) {
        return Base64.getEncoder().encodeToString(render(spec, names, settings).getBytes(StandardCharsets.UTF_8));
    }

    /** Values are validated names and URLs; quoting keeps YAML from reading any of them as another type. */
    private static String quoted(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static byte[] resource(String name) {
        try (InputStream in = CloudInit.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
