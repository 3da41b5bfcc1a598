package org.dsvmpools.scaling;

import java.util.Optional;
import org.dsvmpools.pool.Pool;

/** Who may report usage for a pool: the identity its instances carry, as the pool's record holds it. */
@FunctionalInterface
public interface ReportSenders {
    /** The principal (object) id of the pool's scale set identity, once its deployment recorded it. */
    Optional<String> of(Pool pool);
}
