package org.dsvmpools.azure;

import java.util.UUID;
import org.dsvmpools.pool.PoolRepository;
import org.dsvmpools.pool.PoolRepositoryContract;
import org.dsvmpools.testing.Azurite;

/** The repository contract against Azure Table Storage (Azurite), through the real Tables SDK. */
class TablePoolRepositoryIT extends PoolRepositoryContract {
    @Override
    protected PoolRepository emptyRepository() {
        String table = "pools" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return new TablePoolRepository(new StorageClients(Azurite.shared().connectionString()).table(table));
    }
}
