package org.dsvmpools.pool;

import java.util.List;

/**
 * How users reach a Ready pool: its DNS name, JupyterHub and SSH at that one address (the load balancer picks a
 * serving instance), and, for the admin, one SSH command per instance through the load balancer's NAT ports.
 *
 * @param sshLogin the users' SSH command at the pool's address, {@code <user>} for their name
 */
public record PoolEndpoints(String dnsName, String jupyterHub, String sshLogin, List<Ssh> ssh) {
    public PoolEndpoints {
        ssh = List.copyOf(ssh);
    }

    /** The users' SSH command at the pool's address. */
    public static String sshLogin(String dnsName) {
        return "ssh <user>@" + dnsName;
    }

    public record Ssh(String instanceId, int port, String command) {
    }
}
