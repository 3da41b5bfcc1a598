package org.dsvmpools.provisioning;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import org.dsvmpools.pool.AzureNames;
import org.dsvmpools.pool.PoolSpec;

/**
 * The scale set's custom data: a cloud-config that installs the mount script and runs it, the roster agent with a
 * systemd timer (accounts and per-user folders from the share's manifest), and, when the control
 * plane has a usage queue, the usage agent with a systemd timer and the health responder the load balancer
 * probes. It holds names only (account, share,
 * subscription, resource group, admin, queue URL): no key, no token, no password. The scripts fetch what they
 * need with the instance's managed identity.
 */
public final class CloudInit {
    static final String MOUNT_SCRIPT = "/opt/dsvmpools/mount-share.sh";
    private static final String MOUNT_SCRIPT_RESOURCE = "mount-share.sh";
    static final String AGENT_SCRIPT = "/opt/dsvmpools/usage-agent.sh";
    static final String ROSTER_SCRIPT = "/opt/dsvmpools/roster-agent.sh";
    private static final String ROSTER_SERVICE = "/etc/systemd/system/dsvmpools-roster.service";
    private static final String ROSTER_TIMER = "/etc/systemd/system/dsvmpools-roster.timer";
    private static final String AGENT_SCRIPT_RESOURCE = "usage-agent.sh";
    static final String HUB_MODULE_RESOURCE = "dsvmpools_hub.py";
    /** The image's hub configuration, which loads the project's after its own settings. */
    static final String IMAGE_HUB_CONFIG = "/etc/jupyterhub/jupyterhub_config.py";
    static final String HUB_CONFIG = "/etc/dsvmpools/jupyterhub_config.py";
    private static final String AGENT_SERVICE = "/etc/systemd/system/dsvmpools-usage.service";
    private static final String AGENT_TIMER = "/etc/systemd/system/dsvmpools-usage.timer";
    /** Once a minute, as the scaler expects; it counts three missed reports as a silent agent. */
    private static final String AGENT_TIMER_UNIT = "[Unit]\nDescription=dsvm-pools usage report every minute\n\n"
            + "[Timer]\nOnBootSec=1min\nOnUnitActiveSec=1min\nAccuracySec=5s\n\n"
            + "[Install]\nWantedBy=timers.target\n";
    /** The roster's accounts follow the manifest within a minute of an onboarding. */
    private static final String ROSTER_TIMER_UNIT = "[Unit]\nDescription=dsvm-pools accounts from the roster every minute"
            + "\n\n[Timer]\nOnBootSec=1min\nOnUnitActiveSec=1min\nAccuracySec=5s\n\n[Install]\nWantedBy=timers.target\n";

    /**
     * The metadata service for root only: any pool user's process could otherwise take the instance's identity
     * (the storage keys, every user's folder, the hub's federated credential). Every agent, JupyterHub's hub (the
     * image runs it as root), cloud-init and the Azure guest agent run as root; nothing else on the instance needs
     * it. Loaded before the network comes up at every boot, and before any pool user's account exists.
     */
    static final String IMDS_GUARD_RULES = "/etc/dsvmpools/imds-guard.nft";
    static final String IMDS_GUARD_RESOURCE = "imds-guard.nft";
    private static final String IMDS_GUARD_SERVICE = "/etc/systemd/system/dsvmpools-imds-guard.service";
    static final String IMDS_GUARD_UNIT = "[Unit]\nDescription=dsvm-pools: the metadata service for root only\n"
            + "DefaultDependencies=no\nBefore=network-pre.target\nWants=network-pre.target\n"
            + "After=local-fs.target\n\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/usr/sbin/nft -f "
            + IMDS_GUARD_RULES + "\n\n[Install]\nWantedBy=sysinit.target\n";
    /** Azure's limit on osProfile.customData: 64 KiB decoded, 87,380 characters of base64 (ARM's InvalidParameter). */
    public static final int CUSTOM_DATA_MAX_CHARS = 87_380;

    private static final String SHARE_SERVICE = "/etc/systemd/system/dsvmpools-share.service";
    private static final String SHARE_TIMER = "/etc/systemd/system/dsvmpools-share.timer";
    /** Until the share is mounted, and after every boot: the key's role takes minutes to propagate. */
    private static final String SHARE_TIMER_UNIT = "[Unit]\nDescription=dsvm-pools share, mounted until it is\n\n"
            + "[Timer]\nOnBootSec=10s\nOnUnitInactiveSec=1min\nAccuracySec=5s\n\n[Install]\nWantedBy=timers.target\n";
    /**
     * sshd reads pool users' keys from a root-owned file the roster agent writes, never from their homes; and it
     * listens on the admin's port too, which the per-instance NAT rule maps to (a port given ends the default 22).
     */
    static final String SSHD_DROP_IN = "/etc/ssh/sshd_config.d/dsvmpools.conf";
    static final String SSHD_KEYS = "AuthorizedKeysFile .ssh/authorized_keys /etc/dsvmpools/authorized_keys/%u\n";
    static final String SSHD_CONFIG = "Port " + Blueprint.SSH_PORT + "\nPort " + Blueprint.ADMIN_SSH_PORT + "\n"
            + SSHD_KEYS;

    /** The health responder: a static file server on the directory where the agent keeps {@link #HEALTH_PATH}. */
    private static final String HEALTH_SERVICE = "/etc/systemd/system/dsvmpools-health.service";
    static final String HEALTH_PATH = "/healthy";
    private static final String HEALTH_DIR = "/run/dsvmpools/health";
    private static final String HEALTH_SERVICE_UNIT = "[Unit]\nDescription=dsvm-pools health for the load balancer\n\n"
            + "[Service]\nDynamicUser=yes\nExecStartPre=+/bin/mkdir -p " + HEALTH_DIR + "\n"
            + "ExecStart=/usr/bin/python3 -m http.server " + Blueprint.AGENT_HEALTH_PORT + " --directory "
            + HEALTH_DIR + "\nRestart=always\n"
            // http.server logs every probe, two a second per load balancer instance: nothing worth keeping.
            + "StandardOutput=null\nStandardError=null\n\n[Install]\nWantedBy=multi-user.target\n";

    private CloudInit() {
    }

    /** The cloud-config text. */
    public static String render(PoolSpec spec, AzureNames names, BlueprintSettings settings) {
        StringBuilder config = new StringBuilder("#cloud-config\n")
                .append("package_update: false\n")
                .append("packages: [cifs-utils, nftables]\n")
                .append("write_files:\n")
                .append(file(IMDS_GUARD_RULES, "0644", resource(IMDS_GUARD_RESOURCE)))
                .append(file(IMDS_GUARD_SERVICE, "0644", IMDS_GUARD_UNIT.getBytes(StandardCharsets.UTF_8)))
                .append(file(MOUNT_SCRIPT, "0700", resource(MOUNT_SCRIPT_RESOURCE)))
                .append(file(SHARE_SERVICE, "0644", shareService(spec, names, settings)))
                .append(file(SHARE_TIMER, "0644", SHARE_TIMER_UNIT.getBytes(StandardCharsets.UTF_8)))
                .append(file(SSHD_DROP_IN, "0644", SSHD_CONFIG.getBytes(StandardCharsets.UTF_8)))
                .append(file(ROSTER_SCRIPT, "0700", resource("roster-agent.sh")))
                .append(file(ROSTER_SERVICE, "0644", rosterService(names)))
                .append(file(ROSTER_TIMER, "0644", ROSTER_TIMER_UNIT.getBytes(StandardCharsets.UTF_8)));
        if (settings.hubSignIn() != null) {
            HubConfig.Paths paths = HubConfig.Paths.ON_THE_VM;
            config.append(file(paths.moduleDir() + "/" + HUB_MODULE_RESOURCE, "0644", resource(HUB_MODULE_RESOURCE)))
                    .append(file(HUB_CONFIG, "0644", HubConfig.render(settings.hubSignIn(),
                            HubSignIn.callbackUrl(names.dnsName(spec.location())), paths)
                            .getBytes(StandardCharsets.UTF_8)));
        }
        if (settings.usage() != null) {
            config.append(file(AGENT_SCRIPT, "0700", resource(AGENT_SCRIPT_RESOURCE)))
                    .append(file(AGENT_SERVICE, "0644", agentService(spec, settings)))
                    .append(file(AGENT_TIMER, "0644", AGENT_TIMER_UNIT.getBytes(StandardCharsets.UTF_8)))
                    .append(file(HEALTH_SERVICE, "0644", HEALTH_SERVICE_UNIT.getBytes(StandardCharsets.UTF_8)));
        }
        config.append("runcmd:\n")
                // First: the roster agent makes no account until the guard is in place.
                .append("  - [systemctl, enable, --now, dsvmpools-imds-guard.service]\n")
                // Ubuntu 24.04's ssh.socket takes its ports from sshd_config through a generator: daemon-reload runs it.
                .append("  - [systemctl, daemon-reload]\n")
                .append("  - [systemctl, reload-or-restart, ssh]\n")
                .append("  - [systemctl, enable, --now, dsvmpools-share.timer, dsvmpools-roster.timer]\n");
        if (settings.usage() != null) {
            config.append("  - [systemctl, enable, --now, dsvmpools-health.service, dsvmpools-usage.timer]\n");
        }
        if (settings.hubSignIn() != null) {
            // Once per image config, however often cloud-init runs; the hub then signs in through Entra ID only.
            String load = "load_subconfig('" + HUB_CONFIG + "')";
            config.append("  - [sh, -c, \"grep -qxF \\\"").append(load).append("\\\" ").append(IMAGE_HUB_CONFIG)
                    .append(" || echo \\\"").append(load).append("\\\" >> ").append(IMAGE_HUB_CONFIG).append("\"]\n")
                    .append("  - [systemctl, restart, jupyterhub]\n");
        }
        return config.toString();
    }

    /**
     * Gzipped, then base64 (cloud-init's write_files "gz+b64"): the scripts as base64 inside a base64 document
     * would pass Azure's 87,380 characters. Java's gzip header has no time in it, so the same files render the same
     * custom data and the scale set shows no drift.
     */
    private static String file(String path, String permissions, byte[] content) {
        return "  - path: " + path + "\n"
                + "    owner: root:root\n"
                + "    permissions: '" + permissions + "'\n"
                + "    encoding: gz+b64\n"
                + "    content: " + Base64.getEncoder().encodeToString(gzip(content)) + "\n";
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Names only, as the mount script's arguments; a run is bounded, so a hung endpoint costs one run. */
    private static byte[] shareService(PoolSpec spec, AzureNames names, BlueprintSettings settings) {
        return ("[Unit]\nDescription=dsvm-pools share\nWants=network-online.target\nAfter=network-online.target\n\n[Service]\nType=oneshot\n"
                + "TimeoutStartSec=3min\nExecStart=" + String.join(" ", MOUNT_SCRIPT, names.storageAccount(),
                names.fileShare(), settings.subscriptionId(), AzureNames.resourceGroupOf(spec),
                spec.access().adminUsername(), settings.armEndpoint()) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** After the share's mount: the agent reads the manifest through it. Its arguments are names only. */
    private static byte[] rosterService(AzureNames names) {
        return ("[Unit]\nDescription=dsvm-pools accounts from the roster\nWants=network-online.target\n"
                + "After=network-online.target remote-fs.target dsvmpools-imds-guard.service\n\n[Service]\nType=oneshot\nTimeoutStartSec=10min\nExecStart=" + ROSTER_SCRIPT
                + " " + names.storageAccount() + " " + names.fileShare() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The agent's arguments are the pool's name, where it reports (the queue, or the HTTPS endpoint and the
     * audience of the instance's token for it): names, never a secret.
     */
    private static byte[] agentService(PoolSpec spec, BlueprintSettings settings) {
        String target = settings.usage() instanceof BlueprintSettings.UsageEndpoint endpoint
                ? endpoint.url() + " " + endpoint.audience() : settings.usage().url();
        return ("[Unit]\nDescription=dsvm-pools usage report\nWants=network-online.target\n"
                + "After=network-online.target\n\n"
                + "[Service]\nType=oneshot\nTimeoutStartSec=50s\nExecStart=" + AGENT_SCRIPT + " " + spec.name() + " "
                + target + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** As the scale set model carries it: base64. */
    public static String customData(PoolSpec spec, AzureNames names, BlueprintSettings settings) {
        return Base64.getEncoder().encodeToString(render(spec, names, settings).getBytes(StandardCharsets.UTF_8));
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
