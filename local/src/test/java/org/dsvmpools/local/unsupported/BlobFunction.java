package org.dsvmpools.local.unsupported;

import com.microsoft.azure.functions.annotation.BlobTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;

/** Test sample: a binding the local host does not serve, which must stop its start-up. */
public final class BlobFunction {

    @FunctionName("OnBlob")
    public void run(@BlobTrigger(name = "blob", path = "in/{name}") byte[] blob) {
        throw new UnsupportedOperationException("never called");
    }
}
