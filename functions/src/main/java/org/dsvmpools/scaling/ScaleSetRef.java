package org.dsvmpools.scaling;

/** Which scale set a pool's capacity is: its resource group and name. */
public record ScaleSetRef(String resourceGroup, String name) {
}
