package org.dsvmpools.pool;

/** Where one of a pool's Azure resources stands, as the worker last saw it. */
public enum ResourceState {
    /** Not yet asked for in this generation. */
    Pending,
    /** Asked for; ARM is still creating or updating it. */
    Creating,
    Succeeded,
    Failed,
    Deleting,
    Deleted,
    /** Left in place by a teardown because it holds the users' data. */
    Kept
}
