package org.dsvmpools.provisioning;

import java.util.Map;
import java.util.TreeMap;

/**
 * The JupyterHub configuration a pool's instances load after the image's own ({@code load_subconfig} from
 * {@code /etc/jupyterhub/jupyterhub_config.py}): the project's authenticator, user servers starting in
 * {@code ~/notebooks}, and the agents' hub services with their tokens and scopes. It holds names and URLs only;
 * the tokens are made on the instance at the hub's first start, in root-only files.
 */
public final class HubConfig {
    /** JupyterHub's refresh of a signed-in user: a user removed from the roster loses the hub within it. */
    static final int AUTH_REFRESH_SECONDS = 60;

    private HubConfig() {
    }

    /**
     * Where things are on an instance; tests run a real hub with the same configuration in a folder of theirs.
     *
     * @param moduleDir       holds {@code dsvmpools_hub.py}
     * @param manifest        the roster's manifest on the share
     * @param usageToken      the usage agent's hub token
     * @param rosterToken     the roster agent's hub token
     * @param metadataService the instance metadata service
     * @param caCerts         the CA bundle for Entra's endpoints; empty for the system's
     */
    public record Paths(String moduleDir, String manifest, String usageToken, String rosterToken,
                        String metadataService, String caCerts) {
        public static final Paths ON_THE_VM = new Paths("/opt/dsvmpools/hub", "/data/workspace/.pool/users.json",
                "/etc/dsvmpools/jupyterhub-token", "/etc/dsvmpools/jupyterhub-roster-token",
                "http://169.254.169.254", "");
    }

    /** The Python configuration file's text. */
    public static String render(HubSignIn signIn, String callbackUrl, Paths paths) {
        Map<String, String> authenticator = new TreeMap<>(Map.of("authority", signIn.authority(),
                "client_id", signIn.clientId(), "identity_client_id", signIn.identityClientId(),
                "callback_url", callbackUrl, "manifest", paths.manifest(),
                "metadata_service", paths.metadataService(), "ca_certs", paths.caCerts()));
        StringBuilder config = new StringBuilder()
                .append("# dsvm-pools: Entra ID sign-in for the pool's roster; written by cloud-init, replaced by the\n")
                .append("# pool's next deployment. Loaded after the image's configuration, so it decides sign-in.\n")
                .append("import sys\n")
                .append("sys.path.insert(0, ").append(python(paths.moduleDir())).append(")\n")
                .append("import dsvmpools_hub\n")
                .append("c.JupyterHub.authenticator_class = dsvmpools_hub.EntraRosterAuthenticator\n");
        authenticator.forEach((name, value) -> config.append("c.EntraRosterAuthenticator.").append(name)
                .append(" = ").append(python(value)).append('\n'));
        return config
                .append("c.Authenticator.auto_login = True\n")
                .append("c.Authenticator.refresh_pre_spawn = True\n")
                .append("c.Authenticator.auth_refresh_age = ").append(AUTH_REFRESH_SECONDS).append('\n')
                // The roster agent makes ~/notebooks with the share's folder inside it as "remote".
                .append("c.Spawner.notebook_dir = '~/notebooks'\n")
                .append("dsvmpools_hub.agent_services(c, {'dsvmpools-usage': ").append(python(paths.usageToken()))
                .append(", 'dsvmpools-roster': ").append(python(paths.rosterToken())).append("})\n")
                .toString();
    }

    /** A Python string literal of any text: backslash, quote and every non-printable character escaped. */
    static String python(String value) {
        StringBuilder literal = new StringBuilder("\"");
        value.chars().forEach(c -> {
            if (c == '\\' || c == '"') {
                literal.append('\\').append((char) c);
            } else if (c < 0x20 || c > 0x7e) {
                literal.append(String.format("\\u%04x", c));
            } else {
                literal.append((char) c);
            }
        });
        return literal.append('"').toString();
    }
}
