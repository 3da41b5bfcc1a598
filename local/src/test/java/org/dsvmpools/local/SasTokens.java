package org.dsvmpools.local;

import com.azure.core.credential.AzureKeyCredential;
import com.azure.messaging.eventgrid.EventGridPublisherClient;
import java.time.OffsetDateTime;

/** SAS tokens made by the Event Grid SDK itself, so the host's check is tested against the real formula. */
final class SasTokens {
    private SasTokens() {
    }

    static String make(String endpoint, String key, OffsetDateTime expiry) {
        return EventGridPublisherClient.generateSas(endpoint, new AzureKeyCredential(key), expiry);
    }
}
