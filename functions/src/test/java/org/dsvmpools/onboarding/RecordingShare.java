package org.dsvmpools.onboarding;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

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
    public synchronized void updateManifest(ShareRef share, UnaryOperator<byte[]> change) {
        byte[] current = manifest == null ? new byte[0] : manifest.getBytes(StandardCharsets.UTF_8);
        manifest = new String(change.apply(current), StandardCharsets.UTF_8);
        calls.add("manifest");
    }
}
