package org.dsvmpools.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.dsvmpools.pool.PoolSpec;
import org.dsvmpools.pool.PoolSpecJson;

/** The pool document of the example, with real SSH keys, for tests to vary one field at a time. */
public final class PoolDocumentsFixture {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PoolDocumentsFixture() {
    }

    public static ObjectNode document(String name) {
        ObjectNode document = JSON.createObjectNode();
        document.put("name", name).put("location", "westeurope").put("vmSize", "Standard_D4s_v5");
        document.putObject("capacity").put("min", 0).put("max", 4).put("initial", 1);
        document.put("usersPerInstance", 4);
        document.putObject("share").put("quotaGiB", 1024);
        ObjectNode access = document.putObject("access");
        access.put("adminUsername", "pooladmin");
        access.putArray("sshPublicKeys").add(SshKeys.ed25519());
        access.putArray("allowedSourceCidrs").add("203.0.113.0/24");
        ObjectNode schedule = document.putObject("schedule");
        schedule.put("timeZone", "Europe/Berlin");
        schedule.putArray("workDays").add("MON").add("TUE").add("WED").add("THU").add("FRI");
        schedule.putObject("workHours").put("start", "08:00").put("end", "18:00");
        schedule.put("minInstancesDuringWorkHours", 1);
        document.put("idleTimeoutMinutes", 30);
        ObjectNode alice = document.putArray("users").addObject();
        alice.put("name", "alice");
        alice.putArray("sshPublicKeys").add(SshKeys.rsa2048());
        return document;
    }

    public static PoolSpec spec(String name) {
        PoolSpecJson.ReadResult read = PoolSpecJson.read(document(name));
        if (!read.isValid()) {
            throw new IllegalStateException("fixture is invalid: " + read.errors());
        }
        return read.spec();
    }
}
