package org.dsvmpools.door;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.dsvmpools.pool.PoolName;

/** What the front door stands on besides the pool records: each one an adapter over what the app already keeps. */
public final class DoorPorts {
    private DoorPorts() {
    }

    /** A pool's users, as the roster keeps them. */
    public interface Rosters {
        List<RosterEntry> of(PoolName pool);
    }

    /** A pool's instances, as the scaler last saw them; empty before its first evaluation. */
    public interface PoolSeats {
        Optional<Seats> of(PoolName pool);
    }

    /** Asks for one instance's worth of seats now: the wake the API offers, on the user's behalf. */
    public interface Waker {
        /** @return when the seats should be there, or why the pool cannot be woken */
        Woken wake(PoolName pool);

        /** @param refusal why not, in a user's words; null when queued */
        record Woken(Instant expectedReadyAt, String refusal) {
        }
    }

    /**
     * Counts attempts per key in fixed windows, shared by every instance of the app (a Table): the front door is
     * anonymous until sign-in and open to a whole tenant after it, so how often it wakes pools is bounded here.
     */
    public interface WakeLedger {
        /**
         * Counts one attempt under {@code key} if fewer than {@code most} were counted in the window that holds
         * {@code now}.
         *
         * @return empty when counted; else when the window began
         */
        Optional<Instant> count(String key, int most, Duration window, Instant now);
    }

    /**
     * What the scaler last saw of a pool, for the portal: its instances and who is on them, and the forecast of
     * the next hours; empty before its first evaluation.
     */
    public interface PoolActivity {
        Optional<Activity> of(PoolName pool);

        /** @param failure why the last evaluation failed, or null */
        record Activity(Instant seenAt, List<InstanceView> instances, List<ForecastSlot> forecast, int historyDays,
                        String failure) {
            public Activity {
                instances = List.copyOf(instances);
                forecast = List.copyOf(forecast);
            }
        }

        /** @param power ARM's power state, as the scaler read it */
        record InstanceView(String id, String power, List<String> users, boolean draining) {
            public InstanceView {
                users = List.copyOf(users);
            }
        }

        /** How many users the forecast expects at most in the slot beginning {@code at}. */
        record ForecastSlot(Instant at, int users) {
        }
    }

    /** The owner's changes to a pool's roster, through the same onboarding the API uses. */
    public interface RosterChanges {
        Change add(PoolName pool, String email);

        Change remove(PoolName pool, String name);

        /** @param message what happened, in a user's words */
        record Change(boolean done, String message) {
        }
    }

    /** A user's sessions on a pool since a time, as the usage reports showed them. */
    public interface UserSessions {
        /** @param user the user's account name on the pool */
        Summary of(PoolName pool, String user, Instant from);

        /** How many sessions, and how long they lasted together (an open one up to now). */
        record Summary(int sessions, Duration time) {
        }
    }

    /** The pay-as-you-go hourly price of a Linux VM size in a region, as Azure's retail price list gives it. */
    public interface ComputePrices {
        /** @return the price, or why there is none (the list could not be read, it has no such size) */
        Priced hourly(String region, String vmSize);

        /** @param amount null when there is no price, and {@code why} says so */
        record Priced(Double amount, String currency, String why) {
        }
    }

    /** A pool's instance-hours this month, as the scaler counted them; empty before its first evaluation. */
    public interface PoolHours {
        Optional<Hours> of(PoolName pool);

        /** @param month e.g. 2026-03 (UTC) */
        record Hours(java.time.YearMonth month, double instanceHours) {
        }
    }
}
