package org.dsvmpools.onboarding;

/** A user's place in a pool's roster. */
public enum MemberState {
    /** Recorded; the folder or the manifest entry is not there yet. */
    Pending,
    /** The folder exists and the manifest lists the user: the agents create the account. */
    Ready,
    /** Offboarded: the folder is archived, the manifest marks the user removed, the agents lock the account. */
    Removed
}
