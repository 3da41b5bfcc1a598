package org.dsvmpools.provisioning;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.dsvmpools.pool.PoolEndpoints;

/**
 * How users reach a pool, derived from what ARM reported: the public IP's DNS name, JupyterHub (served over
 * https by the DSVM image) on its port and users' SSH on port 22 there, and the admin's SSH to each instance on
 * the frontend port the load balancer's inbound NAT rule mapped to it.
 */
final class Endpoints {
    private Endpoints() {
    }

    static PoolEndpoints of(String fqdn, String adminUsername, Map<String, Integer> sshPorts) {
        List<PoolEndpoints.Ssh> ssh = new ArrayList<>();
        sshPorts.entrySet().stream().filter(e -> e.getKey().matches("\\d{1,6}"))
                .sorted(Comparator.comparingInt(e -> Integer.parseInt(e.getKey())))
                .forEach(e -> ssh.add(new PoolEndpoints.Ssh(e.getKey(), e.getValue(),
                        "ssh -p " + e.getValue() + " " + adminUsername + "@" + fqdn)));
        return new PoolEndpoints(fqdn, "https://" + fqdn + ":" + Blueprint.JUPYTERHUB_PORT + "/",
                PoolEndpoints.sshLogin(fqdn), ssh);
    }
}
