package org.dsvmpools.onboarding;

/** A pool's file share: the storage account in the pool's resource group, and the share in it. */
public record ShareRef(String resourceGroup, String storageAccount, String share) {
}
