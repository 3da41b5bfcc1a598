package org.dsvmpools.provisioning;

/** Names of the values an observation reports for later steps: one place for adapter and domain to agree on. */
public final class Outputs {
    /** The public IP's DNS name. */
    public static final String FQDN = "fqdn";
    /** The scale set's system-assigned identity, which the role assignment is for. */
    public static final String PRINCIPAL_ID = "principalId";
    /** The pool subnet's id, which the storage firewall and the scale set's NICs refer to. */
    public static final String SUBNET_ID = "subnetId";

    private Outputs() {
    }
}
