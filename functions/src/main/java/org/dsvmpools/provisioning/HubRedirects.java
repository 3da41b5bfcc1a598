package org.dsvmpools.provisioning;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.dsvmpools.pool.AzureNames;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolPage;
import org.dsvmpools.pool.PoolRepository;
import org.dsvmpools.pool.PoolStatus;

/**
 * Keeps the hub app registration's redirect URIs in step with the pools: one {@code https://<pool dns>:8000/hub/
 * oauth_callback} for every pool that exists (from the moment it is accepted, so sign-in works when it is Ready,
 * until it is Deleted). The list is computed whole from the pool records each time, so a lost or out-of-order
 * update is mended by the next one. Redirect URIs that are not a pool's (the operator's own) are left alone.
 */
public final class HubRedirects {
    /** What a pool's callback looks like: Azure's name for a public IP's DNS label, JupyterHub's port and path. */
    private static final Pattern POOL_CALLBACK = Pattern.compile("https://[a-z][a-z0-9-]{1,61}[a-z0-9]\\.[a-z0-9]+"
            + "\\.cloudapp\\.azure\\.com:" + Blueprint.JUPYTERHUB_PORT + Pattern.quote(HubSignIn.CALLBACK_PATH));
    private static final int PAGE = 200;

    private final PoolRepository repository;
    private final SignInRedirects app;

    public HubRedirects(PoolRepository repository, SignInRedirects app) {
        this.repository = repository;
        this.app = app;
    }

    /** @return what changed, for the log */
    public String sync() {
        Set<String> wanted = new TreeSet<>();
        String token = null;
        do {
            PoolPage page = repository.list(token, PAGE);
            for (Pool pool : page.pools()) {
                if (pool.status() != PoolStatus.Deleted) {
                    wanted.add(callbackOf(pool));
                }
            }
            token = page.continuationToken();
        } while (token != null);
        List<String> current = app.current();
        Set<String> next = new LinkedHashSet<>();
        current.stream().filter(uri -> !POOL_CALLBACK.matcher(uri).matches()).forEach(next::add);
        next.addAll(wanted);
        if (next.equals(new LinkedHashSet<>(current))) {
            return "sign-in redirect URIs unchanged";
        }
        app.replace(new ArrayList<>(next));
        List<String> added = wanted.stream().filter(uri -> !current.contains(uri)).toList();
        List<String> removed = current.stream().filter(uri -> !next.contains(uri)).toList();
        return "sign-in redirect URIs: added " + added + ", removed " + removed;
    }

    static String callbackOf(Pool pool) {
        return HubSignIn.callbackUrl(AzureNames.of(pool.name()).dnsName(pool.spec().location()));
    }
}
