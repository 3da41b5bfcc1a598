package org.dsvmpools.pool;

import java.util.List;

/**
 * How users reach a Ready pool: its DNS name, JupyterHub behind the load balancer, and one SSH command per
 * instance through the load balancer's NAT ports.
 */
public record PoolEndpoints(String dnsName, String jupyterHub, List<Ssh> ssh) {
    public PoolEndpoints {
        ssh = List.copyOf(ssh);
    }

    public record Ssh(String instanceId, int port, String command) {
    }
}
