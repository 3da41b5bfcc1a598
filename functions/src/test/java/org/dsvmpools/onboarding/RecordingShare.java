package org.dsvmpools.onboarding;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.dsvmpools.pool.LinuxUserName;

/** The share port as a log of what was asked, and the last manifest written. */
class RecordingShare implements PoolShare {
    final List<String> calls = new ArrayList<>();
    String manifest;

    @Override
    public synchronized void ensureDirectories(ShareRef share, List<String> paths) {
        paths.forEach(path -> calls.add("mkdir " + path));
    }

    @Override
    public synchronized void move(ShareRef share, String from, String to) {
        calls.add("move " + from + " " + to);
    }

    @Override
    public synchronized void updateManifest(ShareRef share, List<Member> changes) {
        byte[] current = manifest == null ? new byte[0] : manifest.getBytes(StandardCharsets.UTF_8);
        manifest = new String(Manifest.apply(current, changes), StandardCharsets.UTF_8);
        calls.add("manifest");
    }

    @Override
    public synchronized void rebuildManifest(ShareRef share, List<Member> members) {
        manifest = new String(Manifest.of(members), StandardCharsets.UTF_8);
        calls.add("rebuild");
    }

    @Override
    public synchronized Map<LinuxUserName, Instant> published(ShareRef share) {
        return Manifest.changeTimes(manifest == null ? new byte[0] : manifest.getBytes(StandardCharsets.UTF_8));
    }
}
