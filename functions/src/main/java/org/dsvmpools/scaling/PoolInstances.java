package org.dsvmpools.scaling;

import java.util.List;

/**
 * The port to a pool's scale set: its instances with their power states, read in one call, and the scaling
 * actions. Each action begins an ARM operation and returns; the next tick sees its effect.
 */
public interface PoolInstances {

    List<Instance> list(ScaleSetRef scaleSet);

    /** @throws org.dsvmpools.cloud.CloudException when ARM refuses */
    void apply(ScaleSetRef scaleSet, ScalingAction action);
}
