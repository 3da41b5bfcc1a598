package org.dsvmpools.pool;

import java.util.Set;

/**
 * The programmatic names of Azure's public-cloud regions that take Compute, Network and Storage resources
 * (as {@code az account list-locations} prints them). Kept in code rather than fetched: validation must not
 * call ARM on the intake path, whose SDK takes seconds to initialise.
 */
public final class AzureRegions {
    private static final Set<String> KNOWN = Set.of(
            "australiacentral", "australiacentral2", "australiaeast", "australiasoutheast", "austriaeast",
            "belgiumcentral", "brazilsouth", "brazilsoutheast", "canadacentral", "canadaeast", "centralindia",
            "centralus", "chilecentral", "denmarkeast", "eastasia", "eastus", "eastus2", "francecentral",
            "francesouth", "germanynorth", "germanywestcentral", "indonesiacentral", "israelcentral",
            "italynorth", "japaneast", "japanwest", "jioindiacentral", "jioindiawest", "koreacentral",
            "koreasouth", "malaysiawest", "mexicocentral", "newzealandnorth", "northcentralus", "northeurope",
            "norwayeast", "norwaywest", "polandcentral", "qatarcentral", "southafricanorth", "southafricawest",
            "southcentralus", "southeastasia", "southindia", "spaincentral", "swedencentral", "swedensouth",
            "switzerlandnorth", "switzerlandwest", "uaecentral", "uaenorth", "uksouth", "ukwest",
            "westcentralus", "westeurope", "westindia", "westus", "westus2", "westus3");

    private AzureRegions() {
    }

    public static boolean isKnown(String region) {
        return KNOWN.contains(region);
    }
}
