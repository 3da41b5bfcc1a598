package org.dsvmpools.onboarding;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The share port as a log of what was asked, and the last manifest written. */
final class RecordingShare implements PoolShare {
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
    public synchronized void writeManifest(ShareRef share, Supplier<byte[]> contents) {
        manifest = new String(contents.get(), StandardCharsets.UTF_8);
        calls.add("manifest");
    }
}
