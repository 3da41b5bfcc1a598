package org.dsvmpools.provisioning;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.dsvmpools.pool.PoolEndpoints;

/**
 * How users reach a pool, derived from what ARM reported: the public IP's DNS name, JupyterHub (served over
 * https by the DSVM image) on its port, and SSH to each instance through the load balancer's NAT pool, whose
 * frontend port for a Uniform scale set instance is the pool's first port plus the instance id.
 */
final class Endpoints {
    private Endpoints() {
    }

    static PoolEndpoints of(String fqdn, String adminUsername, List<String> instanceIds) {
        List<PoolEndpoints.Ssh> ssh = new ArrayList<>();
        instanceIds.stream().filter(id -> id.matches("\\d{1,6}")).sorted(Comparator.comparingInt(Integer::parseInt))
                .forEach(id -> {
                    int port = Blueprint.SSH_NAT_FIRST + Integer.parseInt(id);
                    if (port <= Blueprint.SSH_NAT_LAST) {
                        ssh.add(new PoolEndpoints.Ssh(id, port, "ssh -p " + port + " " + adminUsername + "@" + fqdn));
                    }
                });
        return new PoolEndpoints(fqdn, "https://" + fqdn + ":" + Blueprint.JUPYTERHUB_PORT + "/", ssh);
    }
}
