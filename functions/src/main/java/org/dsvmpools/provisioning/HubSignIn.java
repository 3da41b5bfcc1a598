package org.dsvmpools.provisioning;

import java.util.Objects;

/**
 * JupyterHub sign-in with Microsoft Entra ID on every pool (docs/sign-in.md): one app registration, trusted by a
 * federated credential for one user-assigned identity that every pool's instances carry. The hub presents that
 * identity's token as its client assertion, so no client secret exists anywhere.
 *
 * @param authority        the tenant's OpenID Connect authority, {@code https://login.microsoftonline.com/<tenant>/v2.0}
 * @param clientId         the app registration's application (client) id
 * @param identityId       ARM id of the user-assigned identity the pools' scale sets carry
 * @param identityClientId that identity's client id: the hub names it when it asks the metadata service for a token
 */
public record HubSignIn(String authority, String clientId, String identityId, String identityClientId) {
    public static final String ENTRA = "https://login.microsoftonline.com";
    /** Where the hub's OAuth callback is: JupyterHub's hub prefix, then the authenticator's handler. */
    public static final String CALLBACK_PATH = "/hub/oauth_callback";

    public HubSignIn {
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(identityId, "identityId");
        Objects.requireNonNull(identityClientId, "identityClientId");
    }

    public static String authorityOf(String tenantId) {
        return ENTRA + "/" + tenantId + "/v2.0";
    }

    /** The redirect URI a pool's hub uses, which the app registration must list. */
    public static String callbackUrl(String dnsName) {
        return "https://" + dnsName + ":" + Blueprint.JUPYTERHUB_PORT + CALLBACK_PATH;
    }
}
