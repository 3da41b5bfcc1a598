package org.dsvmpools.scaling;

/**
 * Which scale set a pool's capacity is: its resource group and name, and the image ({@code
 * publisher:offer:sku:version}) the instances it creates from now on get, or null to keep the scale set's model.
 */
public record ScaleSetRef(String resourceGroup, String name, String image) {
    public ScaleSetRef(String resourceGroup, String name) {
        this(resourceGroup, name, null);
    }
}
