package org.dsvmpools.provisioning;

import java.util.List;

/** The hub app registration's web redirect URIs, as Entra ID holds them. */
public interface SignInRedirects {
    List<String> current();

    /** Sets them all: those of pools and any the operator listed. */
    void replace(List<String> redirectUris);
}
