package org.dsvmpools.scaling;

import java.util.Optional;
import org.dsvmpools.pool.PoolName;

/** The latest {@link ScalingSnapshot} per pool; kept apart from the pool record so the scaler never races the API. */
public interface ScalingSnapshots {

    void save(PoolName pool, ScalingSnapshot snapshot);

    Optional<ScalingSnapshot> find(PoolName pool);
}
