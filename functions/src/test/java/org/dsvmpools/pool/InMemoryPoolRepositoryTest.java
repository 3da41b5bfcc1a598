package org.dsvmpools.pool;

import org.dsvmpools.testing.InMemoryPoolRepository;

/** Keeps the in-memory fake honest: the unit tests that use it rely on the same contract as the real adapter. */
class InMemoryPoolRepositoryTest extends PoolRepositoryContract {
    @Override
    protected PoolRepository emptyRepository() {
        return new InMemoryPoolRepository();
    }
}
