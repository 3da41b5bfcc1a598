package org.dsvmpools.pool;

import java.util.List;

/**
 * One page of pools in name order.
 *
 * @param continuationToken opaque; pass it back for the next page, {@code null} on the last page
 */
public record PoolPage(List<Pool> pools, String continuationToken) {
    public PoolPage {
        pools = List.copyOf(pools);
    }
}
