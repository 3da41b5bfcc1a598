package org.dsvmpools.simulate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.dsvmpools.scaling.Instance;
import org.dsvmpools.scaling.PowerState;
import org.dsvmpools.scaling.ScalingAction;
import org.dsvmpools.scaling.UsageReport;

/**
 * A scale set under a scaling policy, in simulated time, with the emulator's VM time model: a new instance
 * takes 240 s, a start from deallocated 90 s, a deallocation or deletion 60 s. Compute is billed while an
 * instance is allocated (creating, starting, running, deallocating). Sessions are placed as the product's load
 * balancer places them (a hash of the user over running instances, the next one with a free seat when that one
 * is full), or, for the AVD peer, by its broker (breadth- or depth-first).
 */
final class SimulatedPool {
    static final Duration CREATE = Duration.ofSeconds(240);
    static final Duration START = Duration.ofSeconds(90);
    static final Duration STOP = Duration.ofSeconds(60);

    enum Placement { HASH, BREADTH_FIRST, DEPTH_FIRST }

    static final class Vm {
        final String id;
        PowerState power;
        Instant until;
        Instant poweredOnAt;
        boolean deleting;
        boolean draining;
        /** When its last session ended, as its agent remembers it: the start of its idle time. */
        Instant lastActive;
        final List<Seated> seated = new ArrayList<>();

        Vm(String id, PowerState power, Instant until) {
            this.id = id;
            this.power = power;
            this.until = until;
        }

        boolean billed() {
            return power == PowerState.Creating || power == PowerState.Starting || power == PowerState.Running
                    || power == PowerState.Deallocating;
        }
    }

    record Seated(String user, Instant since, Instant end) {
    }

    private final Map<Integer, Vm> vms = new TreeMap<>();
    private final int usersPerInstance;
    private int nextId;
    private double billedSeconds;
    private int interrupted;
    Placement placement = Placement.HASH;

    SimulatedPool(int usersPerInstance) {
        this.usersPerInstance = usersPerInstance;
    }

    int usersPerInstance() {
        return usersPerInstance;
    }

    /** Ends finished transitions, then bills {@code step} for every allocated instance. */
    void advance(Instant now, Duration step) {
        vms.values().removeIf(vm -> vm.deleting && !now.isBefore(vm.until));
        for (Vm vm : vms.values()) {
            if (vm.until != null && !now.isBefore(vm.until)) {
                if (vm.power == PowerState.Creating || vm.power == PowerState.Starting) {
                    vm.power = PowerState.Running;
                    vm.poweredOnAt = now;
                    vm.lastActive = null;
                    vm.draining = false;
                } else if (vm.power == PowerState.Deallocating) {
                    vm.power = PowerState.Deallocated;
                }
                vm.until = null;
            }
            if (vm.billed()) {
                billedSeconds += step.toNanos() / 1e9;
            }
        }
    }

    /** Frees the seats of sessions that ended by {@code now}. */
    void endSessions(Instant now) {
        for (Vm vm : vms.values()) {
            vm.seated.removeIf(seat -> {
                if (now.isBefore(seat.end())) {
                    return false;
                }
                vm.lastActive = seat.end();
                return true;
            });
        }
    }

    /**
     * A seat for {@code user} on a running instance the load balancer sends new sessions to (a draining one fails
     * its health probe), or empty when every such instance is full.
     */
    Optional<Vm> seat(String user, Instant since, Instant end) {
        List<Vm> running = running().stream().filter(vm -> !vm.draining).toList();
        if (running.isEmpty()) {
            return Optional.empty();
        }
        Optional<Vm> chosen = switch (placement) {
            case HASH -> {
                int first = Math.floorMod(user.hashCode(), running.size());
                Vm found = null;
                for (int i = 0; i < running.size() && found == null; i++) {
                    Vm candidate = running.get((first + i) % running.size());
                    if (candidate.seated.size() < usersPerInstance) {
                        found = candidate;
                    }
                }
                yield Optional.ofNullable(found);
            }
            case BREADTH_FIRST -> running.stream().filter(vm -> vm.seated.size() < usersPerInstance)
                    .min(Comparator.comparingInt(vm -> vm.seated.size()));
            case DEPTH_FIRST -> running.stream().filter(vm -> vm.seated.size() < usersPerInstance)
                    .max(Comparator.comparingInt(vm -> vm.seated.size()));
        };
        chosen.ifPresent(vm -> vm.seated.add(new Seated(user, since, end)));
        return chosen;
    }

    void apply(List<ScalingAction> actions, Instant now) {
        for (ScalingAction action : actions) {
            if (action instanceof ScalingAction.Start start) {
                start.instanceIds().forEach(id -> find(id).filter(vm -> vm.power == PowerState.Deallocated)
                        .ifPresent(vm -> transition(vm, PowerState.Starting, now.plus(START))));
            } else if (action instanceof ScalingAction.Create create) {
                for (int i = 0; i < create.count(); i++) {
                    vms.put(nextId, new Vm("" + nextId, PowerState.Creating, now.plus(CREATE)));
                    nextId++;
                }
            } else if (action instanceof ScalingAction.Deallocate deallocate) {
                deallocate.instanceIds().forEach(id -> find(id).ifPresent(vm -> stop(vm, now, false)));
            } else if (action instanceof ScalingAction.Delete delete) {
                delete.instanceIds().forEach(id -> find(id).ifPresent(vm -> stop(vm, now, true)));
            } else if (action instanceof ScalingAction.Drain drain) {
                find(drain.instanceId()).filter(vm -> vm.power == PowerState.Running)
                        .ifPresent(vm -> vm.draining = drain.drain());
            }
        }
    }

    /** Deallocating or deleting an instance ends the sessions on it: counted, since that is lost work. */
    private void stop(Vm vm, Instant now, boolean delete) {
        if (vm.power == PowerState.Deallocated && !delete) {
            return;
        }
        interrupted += vm.seated.size();
        vm.seated.clear();
        vm.deleting = delete;
        vm.draining = false;
        transition(vm, PowerState.Deallocating, now.plus(STOP));
    }

    private static void transition(Vm vm, PowerState to, Instant until) {
        vm.power = to;
        vm.until = until;
    }

    private Optional<Vm> find(String id) {
        return vms.values().stream().filter(vm -> vm.id.equals(id)).findFirst();
    }

    List<Vm> running() {
        return vms.values().stream().filter(vm -> vm.power == PowerState.Running && !vm.deleting).toList();
    }

    List<Vm> all() {
        return List.copyOf(vms.values());
    }

    int total() {
        return (int) vms.values().stream().filter(vm -> !vm.deleting).count();
    }

    /** Creates {@code count} instances already deallocated, as the AVD peer needs (it only starts and stops). */
    void provisionDeallocated(int count) {
        for (int i = 0; i < count; i++) {
            vms.put(nextId, new Vm("" + nextId, PowerState.Deallocated, null));
            nextId++;
        }
    }

    List<Instance> instances() {
        List<Instance> instances = new ArrayList<>();
        for (Vm vm : vms.values()) {
            if (!vm.deleting) {
                instances.add(new Instance(vm.id, vm.power, false, vm.poweredOnAt, vm.draining));
            }
        }
        return instances;
    }

    /**
     * What each running instance's agent would report now: its seated users active, and when its last session
     * ended.
     */
    Map<String, UsageReport> reports(Instant now) {
        Map<String, UsageReport> reports = new LinkedHashMap<>();
        for (Vm vm : running()) {
            List<UsageReport.Session> sessions = new ArrayList<>();
            vm.seated.forEach(seat -> sessions.add(new UsageReport.Session(seat.user(), now, seat.since())));
            reports.put(vm.id, new UsageReport(vm.id, now, sessions, List.of(), cpu(vm),
                    sessions.isEmpty() ? vm.lastActive : now));
        }
        return reports;
    }

    /** Each active user keeps 1/usersPerInstance of an instance's CPU busy. */
    double cpu(Vm vm) {
        return Math.min(100.0, vm.seated.size() * 100.0 / usersPerInstance);
    }

    int activeUsers() {
        return vms.values().stream().mapToInt(vm -> vm.seated.size()).sum();
    }

    double billedSeconds() {
        return billedSeconds;
    }

    int interrupted() {
        return interrupted;
    }
}
